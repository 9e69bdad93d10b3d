import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuditService, cryptoShuffle, decodeCursor, encodeCursor, FieldError, OutboxService, SecretSeal, TransactionService } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { PanelRoster } from './panel-roster';
import { Question, questionnaireProblems } from './questions';
import { SealedSurveyResponse, SurveyAnonymousResponseEntity, SurveyAudience, SurveyEntity, SurveyResponseEntity, SurveySealedResponseEntity } from './survey.entity';
import { SURVEY_AUDIT } from './surveys.events';
import { InvalidSurveyError, SurveyNotFoundError } from './surveys.errors';

export interface CreateSurveyInput {
  title: string;
  description?: string;
  questions: Question[];
  audience: { kind: 'panel'; panelId: string } | { kind: 'residents'; districtId?: string | null };
  anonymous: boolean;
  resultsPublic?: boolean;
  opensAt: Date;
  closesAt: Date;
  reminderDaysBefore?: number | null;
}

export type SurveyState = 'scheduled' | 'open' | 'closed';
const DAY_MS = 86_400_000;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function surveyState(s: SurveyEntity, now = Date.now()): SurveyState {
  if (s.closedAt || now >= s.closesAt.getTime()) return 'closed';
  return now < s.opensAt.getTime() ? 'scheduled' : 'open';
}

/** Where a survey's jobs go: its close, and its reminder (null when none or already past). */
export interface SurveySchedule {
  closesAt: Date;
  remindAt: Date | null;
}

/** Surveys of a municipality: their questionnaire, audience, dates; closing (and releasing anonymous answers). */
@Injectable()
export class SurveysService {
  /** Anonymous surveys' sealed responses (libs/common's SecretSeal: the care of budgets' secret ballots). */
  readonly seal: SecretSeal;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly districts: DistrictsService,
    private readonly roster: PanelRoster,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {
    this.seal = new SecretSeal(config.jwtSecret, { seal: 'surveys-response-seal-v1', lookup: 'surveys-respondent-lookup-v1' });
  }

  async create(actor: Actor, slug: string, input: CreateSurveyInput): Promise<SurveyEntity> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const problems: FieldError[] = questionnaireProblems(input.questions);
    if (!(input.opensAt < input.closesAt)) problems.push({ field: 'closesAt', code: 'INVALID', message: 'must be after opensAt' });
    if (input.closesAt.getTime() <= Date.now()) problems.push({ field: 'closesAt', code: 'INVALID', message: 'must be in the future' });
    const audience = await this.audienceOf(municipality.id, input.audience, problems);
    if (problems.length) throw new InvalidSurveyError(problems);
    return this.tx.run(async (manager) => {
      const survey = await manager.save(
        manager.create(SurveyEntity, {
          municipalityId: municipality.id,
          title: input.title,
          description: input.description ?? '',
          questions: input.questions,
          audience,
          anonymous: input.anonymous,
          resultsPublic: input.resultsPublic ?? false,
          opensAt: input.opensAt,
          closesAt: input.closesAt,
          reminderDaysBefore: input.reminderDaysBefore ?? null,
          closedAt: null,
          createdById: actor.id,
        }),
      );
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: SURVEY_AUDIT.created, targetType: 'survey', targetId: survey.id, after: { title: survey.title, anonymous: survey.anonymous, audience } });
      await this.outbox.record(manager, 'surveys.scheduled', { surveyId: survey.id, municipalityId: municipality.id }, { aggregateType: 'survey', aggregateId: survey.id, municipalityId: municipality.id, actorId: actor.id });
      return survey;
    });
  }

  private async audienceOf(municipalityId: string, audience: CreateSurveyInput['audience'], problems: FieldError[]): Promise<SurveyAudience> {
    if (audience.kind === 'panel') {
      const panel = await this.roster.panel(audience.panelId).catch(() => null);
      if (!panel || panel.municipalityId !== municipalityId) problems.push({ field: 'audience.panelId', code: 'INVALID', message: 'not a panel of this municipality' });
      return { kind: 'panel', panelId: audience.panelId };
    }
    const districtId = audience.districtId ?? null;
    if (districtId) {
      const known = await this.districts.requireInMunicipality(municipalityId, districtId).then(() => true, () => false);
      if (!known) problems.push({ field: 'audience.districtId', code: 'INVALID', message: 'not a district of this municipality' });
    }
    return { kind: 'residents', districtId };
  }

  async list(slug: string, page: { cursor?: string; limit?: number }): Promise<{ items: SurveyEntity[]; nextCursor: string | null }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = page.limit ?? 20;
    const qb = this.tx.manager
      .createQueryBuilder(SurveyEntity, 's')
      .where('s.municipality_id = :m', { m: municipality.id })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit + 1);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, ['createdAt', 'id'] as const, { createdAt: 'timestamptz', id: 'uuid' });
      qb.andWhere('(s.created_at, s.id) < (:createdAt::timestamptz, :id::uuid)', c);
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
  }

  async get(id: string, manager: EntityManager = this.tx.manager, lock = false): Promise<SurveyEntity> {
    if (!UUID_SHAPE.test(id)) throw new SurveyNotFoundError();
    const survey = await manager.findOne(SurveyEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!survey) throw new SurveyNotFoundError();
    return survey;
  }

  async isStaff(actor: Actor | null | undefined, survey: SurveyEntity): Promise<boolean> {
    return this.access.hasRole(actor ?? undefined, survey.municipalityId, ['staff', 'admin']);
  }

  async assertStaff(actor: Actor, survey: SurveyEntity): Promise<void> {
    await this.access.assertRole(actor, survey.municipalityId, ['staff', 'admin']);
  }

  /**
   * Closes now (staff), or on its date (the worker's job for `scheduledFor`, ignored when the
   * survey's closesAt is no longer that date). Idempotent.
   */
  async close(actor: Actor | null, id: string, scheduledFor?: Date): Promise<SurveyEntity> {
    if (actor) await this.assertStaff(actor, await this.get(id));
    return this.tx.run(async (manager) => {
      const survey = await this.get(id, manager, true);
      if (survey.closedAt) return survey;
      if (!actor && survey.closesAt.getTime() !== scheduledFor?.getTime()) return survey;
      survey.closedAt = new Date();
      await manager.update(SurveyEntity, { id }, { closedAt: survey.closedAt });
      const responses = survey.anonymous ? await this.release(manager, survey) : await manager.countBy(SurveyResponseEntity, { surveyId: id, submitted: true });
      if (actor) await this.audit.record(manager, { actorId: actor.id, municipalityId: survey.municipalityId, action: SURVEY_AUDIT.closed, targetType: 'survey', targetId: id, after: { responses } });
      await this.outbox.record(manager, 'surveys.closed', { surveyId: id, municipalityId: survey.municipalityId, by: actor ? 'staff' : 'schedule', responses }, { aggregateType: 'survey', aggregateId: id, municipalityId: survey.municipalityId, actorId: actor?.id ?? null });
      return survey;
    });
  }

  /**
   * In the closing transaction: every sealed response is opened; the submitted ones, shuffled, are
   * written to survey_anonymous_responses at once (one xmin for all — this transaction, which
   * writes no participation — physical order the shuffle's, fresh random ids, no time); the
   * sealed rows (drafts too) are deleted.
   */
  private async release(manager: EntityManager, survey: SurveyEntity): Promise<number> {
    const sealed = await manager.find(SurveySealedResponseEntity, { where: { surveyId: survey.id } });
    const opened = cryptoShuffle(sealed.map((s) => this.seal.open<SealedSurveyResponse>(s.sealed, survey.id)).filter((r) => r.submitted));
    for (let i = 0; i < opened.length; i += 1000) {
      await manager.insert(
        SurveyAnonymousResponseEntity,
        opened.slice(i, i + 1000).map((r) => ({ id: randomUUID(), surveyId: survey.id, answers: r.answers, features: r.features })),
      );
    }
    await manager.delete(SurveySealedResponseEntity, { surveyId: survey.id });
    return opened.length;
  }

  async schedule(id: string, manager: EntityManager): Promise<SurveySchedule | null> {
    const survey = await manager.findOneBy(SurveyEntity, { id });
    if (!survey || survey.closedAt) return null;
    const remindAt = survey.reminderDaysBefore ? new Date(survey.closesAt.getTime() - survey.reminderDaysBefore * DAY_MS) : null;
    return { closesAt: survey.closesAt, remindAt: remindAt && remindAt > survey.opensAt ? remindAt : null };
  }

  /** The reminder's date has come: recorded as an event the notification rule turns into reminders. */
  async remind(id: string): Promise<boolean> {
    return this.tx.run(async (manager) => {
      const survey = await manager.findOneBy(SurveyEntity, { id });
      if (!survey || surveyState(survey) !== 'open' || !survey.reminderDaysBefore) return false;
      await this.outbox.record(manager, 'surveys.reminder_due', { surveyId: id, municipalityId: survey.municipalityId }, { aggregateType: 'survey', aggregateId: id, municipalityId: survey.municipalityId, actorId: null });
      return true;
    });
  }
}
