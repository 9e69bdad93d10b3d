import { Injectable } from '@nestjs/common';
import { AuthUser } from '@app/common';
import { BudgetProjectsService, BudgetsService } from '@app/budgets';
import { PanelsService } from '@app/panels';
import { ParticipationService, ProposalsService, SupportsService } from '@app/proposals';
import { SurveysService } from '@app/surveys';
import { VenuesService, WorkshopsService } from '@app/workshops';
import { DEMO_BUDGET_PROJECTS, DEMO_PANEL, DEMO_PROPOSALS, DEMO_TOPICS, DEMO_VENUE, demoBudget, demoSurvey, demoWorkshop } from './demo-modules';

/** The people of one demo town who take part in and run its modules. */
export interface DemoModulePeople {
  slug: string;
  timezone: string;
  admin: string;
  staff: string;
  resident: string;
  citizen: string;
}

/** A person acting outside any HTTP request: the services read the id and look roles up. */
const actor = (id: string): AuthUser => ({ id, sessionId: 'demo-seed', isPlatformAdmin: false });

/**
 * Fills a demo town's participation modules through their own services (rules, audit entries and
 * outbox events as from the API). Each module is seeded once: a town that already has proposal
 * topics, budgets, panels, surveys or venues keeps what it has, so a second run adds nothing.
 * Returns what it created, as `<town>:<module>`.
 */
@Injectable()
export class DemoModulesSeeder {
  constructor(
    private readonly participation: ParticipationService,
    private readonly proposals: ProposalsService,
    private readonly supports: SupportsService,
    private readonly budgets: BudgetsService,
    private readonly projects: BudgetProjectsService,
    private readonly panels: PanelsService,
    private readonly surveys: SurveysService,
    private readonly venues: VenuesService,
    private readonly workshops: WorkshopsService,
  ) {}

  async seed(people: DemoModulePeople): Promise<string[]> {
    const done: string[] = [];
    const now = Date.now();
    const { slug } = people;
    const as = { admin: actor(people.admin), staff: actor(people.staff), resident: actor(people.resident), citizen: actor(people.citizen) };

    if ((await this.participation.listTopics(slug, true)).length === 0) {
      const topics = new Map<string, string>();
      for (const topic of DEMO_TOPICS) topics.set(topic.code, (await this.participation.createTopic(as.admin, slug, topic)).id);
      for (const demo of DEMO_PROPOSALS) {
        const created = await this.proposals.create(as[demo.by], slug, { title: demo.title, body: demo.body, topicId: topics.get(demo.topic)! });
        await this.proposals.publish(as[demo.by], created.id);
        if (demo.supportedBy) await this.supports.support(as[demo.supportedBy], created.id);
      }
      done.push(`${slug}:proposals`);
    }

    if ((await this.budgets.list(slug)).length === 0) {
      // Projects are proposed while the budget takes them, reviewed onto the ballot, then the vote opens.
      const budget = await this.budgets.create(as.admin, slug, demoBudget(now));
      for (const project of DEMO_BUDGET_PROJECTS) {
        const proposed = await this.projects.propose(as.resident, budget.id, project);
        await this.projects.review(as.staff, budget.id, proposed.id, { status: 'on_ballot' });
      }
      await this.budgets.advance(as.admin, budget.id);
      await this.budgets.advance(as.admin, budget.id);
      done.push(`${slug}:budget`);
    }

    if ((await this.panels.list(slug, { limit: 1 })).items.length === 0) {
      await this.panels.create(as.admin, slug, DEMO_PANEL);
      done.push(`${slug}:panel`);
    }

    if ((await this.surveys.list(slug, { limit: 1 })).items.length === 0) {
      await this.surveys.create(as.staff, slug, demoSurvey(now));
      done.push(`${slug}:survey`);
    }

    if ((await this.venues.list(slug)).length === 0) {
      const venue = await this.venues.create(as.staff, slug, DEMO_VENUE);
      await this.workshops.create(as.staff, slug, demoWorkshop(people.timezone, { id: venue.id, roomId: venue.rooms[0].id }));
      done.push(`${slug}:workshop`);
    }
    return done;
  }
}
