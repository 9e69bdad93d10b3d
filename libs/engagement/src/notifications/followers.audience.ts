import { Injectable } from '@nestjs/common';
import { DomainException } from '@app/common';
import { AudienceProvider, AudienceScope, AudienceTargetInvalidError, NotificationAudience } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { SubjectRegistry } from '../subjects/subject-registry';

const TARGET = /^([a-z][a-z0-9_]*):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function parse(target: string | null): { type: string; id: string } {
  const match = target ? TARGET.exec(target) : null;
  if (!match) throw new AudienceTargetInvalidError('subject.followers needs a target "<subject type>:<id>", e.g. "report:<uuid>"');
  return { type: match[1], id: match[2].toLowerCase() };
}

/**
 * Everyone following a subject (a report, a proposal, a workshop…), any subject type a library
 * registers. Engagement provides it because engagement already depends on notifications (its
 * comment rule); notifications must not import engagement back. Keyset by the follows primary
 * key (subject type, subject id, user id).
 */
@Injectable()
@NotificationAudience({ kind: 'subject.followers', target: '<subject type>:<id>', label: { fr: 'Les personnes qui suivent un sujet', en: 'The people following a subject' } })
export class FollowersAudience implements AudienceProvider {
  constructor(private readonly subjects: SubjectRegistry) {}

  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    const subject = parse(scope.target);
    const info = await this.subjects.describe(subject, manager).catch((error: unknown) => {
      if (error instanceof DomainException) return null;
      throw error;
    });
    // Another town's subject answers as one that does not exist.
    if (!info || info.municipalityId !== scope.municipalityId) throw new AudienceTargetInvalidError('no such subject in this municipality');
  }

  async count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    const subject = parse(scope.target);
    const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM follows WHERE subject_type = $1 AND subject_id = $2`, [subject.type, subject.id]);
    return n;
  }

  async page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    const subject = parse(scope.target);
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM follows WHERE subject_type = $1 AND subject_id = $2 AND ($3::uuid IS NULL OR user_id > $3::uuid) ORDER BY user_id LIMIT $4`,
      [subject.type, subject.id, after, limit],
    );
    return rows.map((r) => r.user_id);
  }
}
