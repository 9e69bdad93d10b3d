import type { Locale } from '@app/identity';
import type { NotificationContent, RenderedNotification } from '@app/notifications';

/** The notification types of the proposals library. */
export const PROPOSAL_NOTIFICATION_TYPES = {
  published: 'proposal.published',
  thresholdReached: 'proposal.threshold_reached',
  answered: 'proposal.answered',
  implemented: 'proposal.implemented',
  expired: 'proposal.expired',
  coauthorInvited: 'proposal.coauthor_invited',
  answerOverdue: 'proposal.answer_overdue',
} as const;

const T = PROPOSAL_NOTIFICATION_TYPES;

const ANSWER: Record<Locale, Record<string, string>> = {
  fr: { evaluating: 'est à l’étude', accepted: 'est acceptée', rejected: 'n’est pas retenue' },
  en: { evaluating: 'is being evaluated', accepted: 'was accepted', rejected: 'was not accepted' },
};

/** Words of every proposal notification, in French or English. */
export function renderProposalNotification(n: NotificationContent, locale: Locale): RenderedNotification {
  const l: Locale = locale === 'en' ? 'en' : 'fr';
  const title = String(n.data.title ?? '');
  const quoted = l === 'fr' ? `« ${title} »` : `“${title}”`;
  const path = `/proposals/${n.subjectId}`;
  const say = (fr: [string, string], en: [string, string]): RenderedNotification => {
    const [t, b] = l === 'fr' ? fr : en;
    return { title: t, body: b, path };
  };
  switch (n.type) {
    case T.published:
      return say(['Proposition publiée', `La proposition ${quoted} est publiée et reçoit des soutiens.`], ['Proposal published', `The proposal ${quoted} is published and open for support.`]);
    case T.thresholdReached:
      return say(['Seuil atteint', `La proposition ${quoted} a atteint le nombre de soutiens requis : la commune y répondra.`], ['Threshold reached', `The proposal ${quoted} reached its support threshold: the town will answer it.`]);
    case T.answered: {
      const verdict = ANSWER[l][String(n.data.answer)] ?? String(n.data.answer);
      return say(['Réponse de la commune', `La proposition ${quoted} ${verdict}.`], ['The town answered', `The proposal ${quoted} ${verdict}.`]);
    }
    case T.implemented:
      return say(['Proposition réalisée', `La proposition ${quoted} a été réalisée.`], ['Proposal implemented', `The proposal ${quoted} has been implemented.`]);
    case T.expired:
      return say(['Période de soutien terminée', `La proposition ${quoted} n’a pas atteint le seuil à temps.`], ['Support period over', `The proposal ${quoted} did not reach its threshold in time.`]);
    case T.coauthorInvited:
      return say(['Invitation à cosigner', `Vous êtes invité à cosigner la proposition ${quoted}.`], ['Invitation to co-sign', `You are invited to co-sign the proposal ${quoted}.`]);
    case T.answerOverdue:
      return say(['Réponse en retard', `La réponse à la proposition ${quoted} est attendue depuis le ${String(n.data.answerDueAt ?? '').slice(0, 10)}.`], ['Answer overdue', `The answer to the proposal ${quoted} was due on ${String(n.data.answerDueAt ?? '').slice(0, 10)}.`]);
    default:
      return say(['Proposition', quoted], ['Proposal', quoted]);
  }
}
