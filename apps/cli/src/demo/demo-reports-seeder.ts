import { Injectable } from '@nestjs/common';
import { AuthUser, PreserializedJson } from '@app/common';
import { CommentsService } from '@app/engagement';
import { PhotosService } from '@app/media';
import { ReportsService, TriageService } from '@app/reports';
import { demoPhoto } from './demo-photos';
import { DEMO_CENTRES, DEMO_REPORTS, demoPoint, transitionsTo } from './demo-reports';

/** The people of one demo town who file, comment on and triage its reports. */
export interface DemoTownPeople {
  slug: string;
  resident: string;
  citizen: string;
  staff: string;
}

export interface DemoReportsResult {
  reports: string[];
  photos: number;
  comments: number;
}

/** A person acting outside any HTTP request: the services read the id and look roles up. */
const actor = (id: string): AuthUser => ({ id, sessionId: 'demo-seed', isPlatformAdmin: false });

/**
 * Files the demo reports of a town through the libraries' services, as the app would: filed by
 * its citizens, moved by its staff through the usual transitions, with photos, comments and
 * public updates — so outbox events, timelines, counts and audit entries are all real.
 *
 * Each report is filed with a fixed Idempotency-Key (`demo-<town>-<n>`): a second run gets
 * the existing report back (created: false) and does nothing more with it, so the seed runs once.
 */
@Injectable()
export class DemoReportsSeeder {
  constructor(
    private readonly reports: ReportsService,
    private readonly triage: TriageService,
    private readonly photos: PhotosService,
    private readonly comments: CommentsService,
  ) {}

  async seed(people: DemoTownPeople): Promise<DemoReportsResult> {
    const result: DemoReportsResult = { reports: [], photos: 0, comments: 0 };
    const centre = DEMO_CENTRES[people.slug];
    if (!centre) return result;
    const who = { resident: people.resident, citizen: people.citizen, staff: people.staff };
    for (const [i, demo] of DEMO_REPORTS.entries()) {
      const reporter = actor(who[demo.by]);
      const { report, created } = await this.reports.create(
        reporter,
        people.slug,
        {
          kind: demo.kind,
          categoryCode: demo.category,
          description: demo.description,
          location: demoPoint(centre, i),
          ...(demo.address ? { address: demo.address } : {}),
          ...(demo.attributes ? { attributes: demo.attributes } : {}),
          ...(demo.anonymous ? { anonymous: true } : {}),
        },
        `demo-${people.slug}-${i + 1}`,
      );
      if (!created) continue;
      const view = (report instanceof PreserializedJson ? report.value() : report) as unknown as { id: string; number: string; version: number };
      result.reports.push(`${people.slug}#${view.number}`);
      const subject = { type: 'report', id: view.id };

      for (let p = 0; p < demo.photos; p++) {
        await this.photos.upload(reporter, subject, await demoPhoto(demo.category, i * 3 + p));
        result.photos++;
      }
      for (const comment of demo.comments ?? []) {
        await this.comments.add(actor(who[comment.by]), subject, comment.body);
        result.comments++;
      }
      const staff = actor(people.staff);
      let version = view.version;
      if (demo.priority) version = (await this.triage.triage(staff, view.id, { priority: demo.priority, version }, undefined)).version as number;
      for (const status of transitionsTo(demo.kind, demo.status)) {
        const changes = status === 'rejected' ? { status, reason: 'not_responsible' as const } : { status };
        version = (await this.triage.triage(staff, view.id, { ...changes, version }, undefined)).version as number;
      }
      if (demo.publicUpdate) await this.triage.postUpdate(staff, view.id, { message: demo.publicUpdate, visibility: 'public' });
    }
    return result;
  }
}
