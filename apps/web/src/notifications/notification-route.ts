import { ROUTES } from '../router';

/** What the app needs of a notification to open it. */
export interface NotificationTarget {
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

const idIn = (data: Record<string, unknown>, key: string): string | null => (typeof data[key] === 'string' && data[key] ? (data[key] as string) : null);

/**
 * The app's page of a notification's subject, by the subject types the modules' notification
 * rules use (libs/<domain>/src/notifications): a report, a panel (its page holds the person's
 * seat), a proposal, a workshop, a budget or one of its projects (the budget's page), a survey
 * (its questionnaire). Null for a type the app has no page for: the notification is then only
 * marked read.
 */
export function notificationRoute(n: NotificationTarget): string | null {
  switch (n.subjectType) {
    case 'report':
      return ROUTES.report(n.subjectId);
    case 'panel':
      return ROUTES.panel(n.subjectId);
    case 'proposal':
      return ROUTES.proposal(n.subjectId);
    case 'workshop':
      return ROUTES.workshop(idIn(n.data, 'workshopId') ?? n.subjectId);
    case 'budget':
      return ROUTES.budget(n.subjectId);
    case 'budget_project': {
      const budgetId = idIn(n.data, 'budgetId');
      return budgetId ? ROUTES.budget(budgetId) : null;
    }
    case 'survey':
      return ROUTES.survey(n.subjectId);
    default:
      return null;
  }
}
