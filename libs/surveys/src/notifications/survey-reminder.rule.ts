import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import { Locale, ResidencyService } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { PanelRoster } from '../panel-roster';
import { SurveysService } from '../surveys.service';

export const SURVEY_NOTIFICATION_TYPES = { reminder: 'survey.reminder' } as const;

/**
 * N days before the close, everyone the survey targets who has not submitted hears of it: a
 * panel's active members, or the town's verified residents (of the district residency records
 * for a district survey), and anyone who started a response. Whoever has submitted by the time
 * the reminder goes is left out.
 */
@Injectable()
@NotificationRule({ events: ['surveys.reminder_due'], types: [SURVEY_NOTIFICATION_TYPES.reminder] })
export class SurveyReminderRule implements NotificationRuleHandler {
  constructor(
    private readonly surveys: SurveysService,
    private readonly residency: ResidencyService,
    private readonly roster: PanelRoster,
  ) {}

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = event.payload as DomainEventMap['surveys.reminder_due'];
    const survey = await this.surveys.get(p.surveyId, manager).catch(() => null);
    if (!survey || survey.closedAt) return [];
    const rows: Array<{ user_id: string; submitted: boolean }> = await manager.query(`SELECT user_id, submitted FROM survey_participations WHERE survey_id = $1`, [survey.id]);
    const submitted = new Set(rows.filter((r) => r.submitted).map((r) => r.user_id));
    const started = rows.filter((r) => !r.submitted).map((r) => r.user_id);
    const audience = survey.audience;
    const targeted =
      audience.kind === 'panel'
        ? [...(await this.roster.activeMemberIds(audience.panelId)), ...started]
        : [...(await this.residency.residentIds(survey.municipalityId, audience.districtId, manager)), ...started];
    const closes = survey.closesAt.toISOString();
    return [...new Set(targeted)].filter((id) => !submitted.has(id)).map((userId) => ({ userId, type: SURVEY_NOTIFICATION_TYPES.reminder, data: { title: survey.title, closesAt: closes } }));
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    const title = typeof n.data.title === 'string' ? n.data.title : '';
    const closes = typeof n.data.closesAt === 'string' ? n.data.closesAt.slice(0, 10) : '';
    return locale === 'en'
      ? { title: `Survey closing soon: ${title}`, body: `You have not answered yet. It closes on ${closes}.`, path: `/surveys/${n.subjectId}` }
      : { title: `Questionnaire bientôt clos : ${title}`, body: `Vous n'avez pas encore répondu. Il ferme le ${closes}.`, path: `/surveys/${n.subjectId}` };
  }
}
