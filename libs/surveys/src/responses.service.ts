import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { AccessService, Actor, DistrictsService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { PanelRoster } from './panel-roster';
import { answerProblems, Answers } from './questions';
import { SealedSurveyResponse, SurveyEntity, SurveyResponseEntity, SurveySealedResponseEntity } from './survey.entity';
import { InvalidSurveyAnswersError, SurveyNotOpenError, SurveyNotTargetedError, SurveyResponseNotFoundError } from './surveys.errors';
import { surveyState, SurveysService } from './surveys.service';

export interface SaveResponseInput {
  answers: Answers;
  /** Submit: every shown required question must be answered; a submitted response stays complete. */
  submit?: boolean;
  /** District surveys, first save, when residency records no district: where the respondent lives, checked and not stored. */
  home?: { lng: number; lat: number };
}

export interface MyResponseView {
  surveyId: string;
  anonymous: boolean;
  answers: Answers;
  submitted: boolean;
}

/** One response per person, saved partially, editable until the close; sealed when the survey is anonymous. */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly surveys: SurveysService,
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly districts: DistrictsService,
    private readonly roster: PanelRoster,
    private readonly outbox: OutboxService,
  ) {}

  /** May this person answer? Their panel feature values (kept with the answers) when the audience is a panel. */
  private async eligibility(actor: Actor, survey: SurveyEntity, home: SaveResponseInput['home'], firstSave: boolean): Promise<Record<string, string> | null> {
    const audience = survey.audience;
    if (audience.kind === 'panel') {
      const member = await this.roster.activeMember(audience.panelId, actor.id);
      if (!member) throw new SurveyNotTargetedError('panel');
      return member.features;
    }
    const residency = await this.access.residencyOf(actor.id, survey.municipalityId);
    if (!residency) throw new SurveyNotTargetedError('residents');
    if (audience.districtId && firstSave) {
      // The district residency records (a code mailed to a district, or staff) decides; only when
      // it records none does the respondent's own statement of where they live count.
      const district = residency.districtId ?? (home ? (await this.districts.findContaining(survey.municipalityId, home.lng, home.lat))?.id : null);
      if (district !== audience.districtId) throw new SurveyNotTargetedError('district');
    }
    return null;
  }

  private assertOpen(survey: SurveyEntity): void {
    const state = surveyState(survey);
    if (state !== 'open') throw new SurveyNotOpenError(state === 'closed' ? 'closed' : 'not_open_yet');
  }

  async save(actor: Actor, surveyId: string, input: SaveResponseInput): Promise<MyResponseView> {
    const survey = await this.surveys.get(surveyId);
    this.assertOpen(survey);
    const before = await this.participation(this.tx.manager, surveyId, actor.id);
    const features = await this.eligibility(actor, survey, input.home, !before);
    const complete = !!input.submit || !!before?.submitted;
    const problems = answerProblems(survey.questions, input.answers, complete);
    if (problems.length) throw new InvalidSurveyAnswersError(problems);
    return this.tx.run(async (manager) => {
      // Shares the survey row with other answers, but not with its close (which takes it for
      // update): an answer either commits before the close or is refused after it.
      const locked = await manager.findOne(SurveyEntity, { where: { id: surveyId }, lock: { mode: 'pessimistic_read' } });
      this.assertOpen(locked!);
      // The participation row first (a concurrent first save waits on its key, then finds it),
      // then locked: saves of one person are serialised, so exactly one of them submits first.
      await manager.query(`INSERT INTO survey_participations (survey_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [surveyId, actor.id]);
      const prior = await manager.query(`SELECT submitted FROM survey_participations WHERE survey_id = $1 AND user_id = $2 FOR UPDATE`, [surveyId, actor.id]);
      const wasSubmitted = prior[0]?.submitted === true;
      const submitted = wasSubmitted || !!input.submit;
      if (wasSubmitted && !complete) {
        // Submitted from another device meanwhile: the rest must still be complete.
        const late = answerProblems(survey.questions, input.answers, true);
        if (late.length) throw new InvalidSurveyAnswersError(late);
      }
      if (submitted && !wasSubmitted) await manager.query(`UPDATE survey_participations SET submitted = true WHERE survey_id = $1 AND user_id = $2`, [surveyId, actor.id]);
      if (survey.anonymous) {
        const sealed: SealedSurveyResponse = { answers: input.answers, features, submitted };
        await manager.query(
          `INSERT INTO survey_sealed_responses (survey_id, respondent_lookup, sealed) VALUES ($1, $2, $3)
           ON CONFLICT (survey_id, respondent_lookup) DO UPDATE SET sealed = EXCLUDED.sealed`,
          [surveyId, this.surveys.seal.lookup(actor.id, surveyId), this.surveys.seal.seal(sealed, surveyId)],
        );
      } else {
        await manager.query(
          `INSERT INTO survey_responses (survey_id, user_id, answers, features, submitted, submitted_at) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 THEN now() END)
           ON CONFLICT (survey_id, user_id) DO UPDATE SET answers = EXCLUDED.answers, features = EXCLUDED.features,
             submitted = survey_responses.submitted OR EXCLUDED.submitted, submitted_at = COALESCE(survey_responses.submitted_at, EXCLUDED.submitted_at), updated_at = now()`,
          [surveyId, actor.id, JSON.stringify(input.answers), features === null ? null : JSON.stringify(features), submitted],
        );
      }
      if (submitted && !wasSubmitted) {
        await this.outbox.record(manager, 'surveys.response_submitted', { surveyId, municipalityId: survey.municipalityId }, { aggregateType: 'survey', aggregateId: surveyId, municipalityId: survey.municipalityId, actorId: null });
      }
      return { surveyId, anonymous: survey.anonymous, answers: input.answers, submitted };
    });
  }

  private async participation(manager: EntityManager, surveyId: string, userId: string): Promise<{ submitted: boolean } | null> {
    const rows: Array<{ submitted: boolean }> = await manager.query(`SELECT submitted FROM survey_participations WHERE survey_id = $1 AND user_id = $2`, [surveyId, userId]);
    return rows[0] ?? null;
  }

  /** The caller's response, to come back to it. An anonymous survey's is gone once it has closed (released unlinked). */
  async mine(actor: Actor, surveyId: string): Promise<MyResponseView> {
    const survey = await this.surveys.get(surveyId);
    if (survey.anonymous) {
      const row = await this.tx.manager.findOneBy(SurveySealedResponseEntity, { surveyId, respondentLookup: this.surveys.seal.lookup(actor.id, surveyId) });
      if (!row) throw new SurveyResponseNotFoundError();
      const opened = this.surveys.seal.open<SealedSurveyResponse>(row.sealed, surveyId);
      return { surveyId, anonymous: true, answers: opened.answers, submitted: opened.submitted };
    }
    const row = await this.tx.manager.findOneBy(SurveyResponseEntity, { surveyId, userId: actor.id });
    if (!row) throw new SurveyResponseNotFoundError();
    return { surveyId, anonymous: false, answers: row.answers, submitted: row.submitted };
  }

  /** Submitted responses so far (the live count): participations only, never answers. */
  async submittedCount(surveyId: string, manager: EntityManager = this.tx.manager): Promise<number> {
    const rows: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM survey_participations WHERE survey_id = $1 AND submitted`, [surveyId]);
    return rows[0].n;
  }
}
