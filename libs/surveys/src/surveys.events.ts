/** Events of the surveys library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    /** Created or rescheduled: the worker (re)schedules its close and its reminder. */
    'surveys.scheduled': { surveyId: string; municipalityId: string };
    /** A response was submitted for the first time: for the live count. Says nothing of who. */
    'surveys.response_submitted': { surveyId: string; municipalityId: string };
    'surveys.closed': { surveyId: string; municipalityId: string; by: 'staff' | 'schedule'; responses: number };
    /** The reminder date has come: the notification rule tells the targeted people who have not submitted. */
    'surveys.reminder_due': { surveyId: string; municipalityId: string };
  }
}

export const SURVEY_AUDIT = {
  created: 'survey.created',
  updated: 'survey.updated',
  closed: 'survey.closed',
} as const;

export {};
