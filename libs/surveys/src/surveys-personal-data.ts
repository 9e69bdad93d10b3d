import { Injectable } from '@nestjs/common';
import { ErasureOptions, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { SealedSurveyResponse } from './survey.entity';
import { SurveysService } from './surveys.service';

/**
 * Identified responses (answers, submission time) and the list of surveys someone took part in.
 * Anonymous responses are not theirs to export: nothing links them to the person (sealed while
 * open, released unlinked at the close). Erasure: participations and unsubmitted sealed drafts go;
 * identified responses lose their author (kept, anonymised, for the town's results) or, when the
 * person removes their contributions, are deleted.
 */
@Injectable()
@ProvidesPersonalData('surveys')
export class SurveysPersonalData implements PersonalDataContributor {
  constructor(private readonly surveys: SurveysService) {}

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const responses = await manager.query(
      `SELECT r.survey_id AS "surveyId", s.title, r.answers, r.features, r.submitted, r.submitted_at AS "submittedAt", r.updated_at AS "updatedAt"
       FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE r.user_id = $1 ORDER BY r.created_at`,
      [userId],
    );
    const participations = await manager.query(
      `SELECT p.survey_id AS "surveyId", s.title, s.anonymous, p.submitted FROM survey_participations p JOIN surveys s ON s.id = p.survey_id WHERE p.user_id = $1 ORDER BY s.created_at`,
      [userId],
    );
    return { identifiedResponses: responses, participations };
  }

  async eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<void> {
    if (options.removeContributions) await manager.query(`DELETE FROM survey_responses WHERE user_id = $1`, [userId]);
    else await manager.query(`UPDATE survey_responses SET user_id = NULL WHERE user_id = $1`, [userId]);
    // Their unsubmitted drafts in open anonymous surveys, found by the keyed lookup; a submitted
    // one stays, as it counts and no longer leads to them once the participation is gone.
    const open: Array<{ id: string }> = await manager.query(
      `SELECT s.id FROM survey_participations p JOIN surveys s ON s.id = p.survey_id WHERE p.user_id = $1 AND s.anonymous AND s.closed_at IS NULL`,
      [userId],
    );
    for (const { id } of open) {
      const lookup = this.surveys.seal.lookup(userId, id);
      const rows: Array<{ sealed: string }> = await manager.query(`SELECT sealed FROM survey_sealed_responses WHERE survey_id = $1 AND respondent_lookup = $2`, [id, lookup]);
      if (rows[0] && !this.surveys.seal.open<SealedSurveyResponse>(rows[0].sealed, id).submitted) {
        await manager.query(`DELETE FROM survey_sealed_responses WHERE survey_id = $1 AND respondent_lookup = $2`, [id, lookup]);
      }
    }
    await manager.query(`DELETE FROM survey_participations WHERE user_id = $1`, [userId]);
  }
}
