import type { Locale } from '@app/identity';
import type { NotificationContent, RenderedNotification } from '@app/notifications';
import type { RejectReason, ReportStatus } from '../lifecycle/report-lifecycle';

/** The notification types of the reports library. */
export const REPORT_NOTIFICATION_TYPES = {
  statusChanged: 'report.status_changed',
  publicUpdate: 'report.public_update',
  resolvedFollowed: 'report.resolved_followed',
  merged: 'report.merged',
  newInDepartment: 'report.new_in_department',
  assignedToYou: 'report.assigned_to_you',
  slaWarning: 'report.sla_warning',
  commented: 'report.commented',
} as const;

const STATUS: Record<Locale, Record<ReportStatus, string>> = {
  fr: { new: 'nouveau', acknowledged: 'pris en compte', in_progress: 'en cours de traitement', resolved: 'résolu', closed: 'clos', rejected: 'refusé', withdrawn: 'retiré' },
  en: { new: 'new', acknowledged: 'acknowledged', in_progress: 'in progress', resolved: 'resolved', closed: 'closed', rejected: 'rejected', withdrawn: 'withdrawn' },
};

const REASON: Record<Locale, Record<RejectReason, string>> = {
  fr: {
    duplicate: 'il a déjà été signalé',
    not_responsible: "cela ne relève pas de la commune",
    invalid: "il n'a pas pu être traité tel quel",
    spam: 'il a été jugé abusif',
  },
  en: {
    duplicate: 'it was already reported',
    not_responsible: 'this is not the municipality’s responsibility',
    invalid: 'it could not be handled as it was',
    spam: 'it was judged abusive',
  },
};

const excerpt = (text: unknown, max = 280): string => {
  const s = typeof text === 'string' ? text.trim() : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

const localized = (value: unknown, locale: Locale): string => {
  if (value && typeof value === 'object') {
    const names = value as Partial<Record<Locale, string>>;
    return names[locale] ?? names.fr ?? names.en ?? '';
  }
  return typeof value === 'string' ? value : '';
};

/** Words every report notification in French or English. */
export function renderReportNotification(n: NotificationContent, locale: Locale): RenderedNotification {
  const l: Locale = locale === 'en' ? 'en' : 'fr';
  const d = n.data;
  const no = String(d.number ?? '');
  const ref = l === 'fr' ? `n°${no}` : `#${no}`;
  const path = `/reports/${n.subjectId}`;
  switch (n.type) {
    case REPORT_NOTIFICATION_TYPES.statusChanged: {
      const to = STATUS[l][d.to as ReportStatus] ?? String(d.to);
      const reason = d.reason ? REASON[l][d.reason as RejectReason] : null;
      return l === 'fr'
        ? { title: `Votre signalement ${ref} est ${to}`, body: reason ? `Motif : ${reason}.` : `Il est passé de « ${STATUS.fr[d.from as ReportStatus] ?? d.from} » à « ${to} ».`, path }
        : { title: `Your report ${ref} is ${to}`, body: reason ? `Reason: ${reason}.` : `It went from "${STATUS.en[d.from as ReportStatus] ?? d.from}" to "${to}".`, path };
    }
    case REPORT_NOTIFICATION_TYPES.publicUpdate:
      return { title: l === 'fr' ? `Nouveau message sur votre signalement ${ref}` : `New message about your report ${ref}`, body: excerpt(d.message, 500), path };
    case REPORT_NOTIFICATION_TYPES.resolvedFollowed:
      return l === 'fr'
        ? { title: `Le signalement ${ref} que vous suivez est résolu`, body: 'Merci de votre soutien.', path }
        : { title: `Report ${ref} you follow is resolved`, body: 'Thank you for your support.', path };
    case REPORT_NOTIFICATION_TYPES.merged: {
      const into = l === 'fr' ? `n°${d.intoNumber}` : `#${d.intoNumber}`;
      const intoPath = `/reports/${String(d.intoId ?? n.subjectId)}`;
      return l === 'fr'
        ? { title: `Le signalement ${ref} a été regroupé avec le ${into}`, body: `Suivez désormais le signalement ${into}.`, path: intoPath }
        : { title: `Report ${ref} was merged into ${into}`, body: `Follow report ${into} from now on.`, path: intoPath };
    }
    case REPORT_NOTIFICATION_TYPES.newInDepartment: {
      const category = localized(d.categoryName, l) || String(d.categoryCode ?? '');
      return { title: l === 'fr' ? `Nouveau signalement ${ref} : ${category}` : `New report ${ref}: ${category}`, body: excerpt(d.description), path };
    }
    case REPORT_NOTIFICATION_TYPES.assignedToYou:
      return l === 'fr'
        ? { title: `Le signalement ${ref} vous est attribué`, body: excerpt(d.description), path }
        : { title: `Report ${ref} is assigned to you`, body: excerpt(d.description), path };
    case REPORT_NOTIFICATION_TYPES.slaWarning: {
      const what = d.deadlineKind === 'acknowledge' ? (l === 'fr' ? 'de prise en compte' : 'to acknowledge') : l === 'fr' ? 'de résolution' : 'to resolve';
      const when = String(d.deadlineLocal ?? d.deadline ?? '');
      return l === 'fr'
        ? { title: `Signalement ${ref} : l'échéance ${what} approche`, body: `Échéance : ${when}.`, path }
        : { title: `Report ${ref}: the deadline ${what} is near`, body: `Deadline: ${when}.`, path };
    }
    case REPORT_NOTIFICATION_TYPES.commented: {
      const who = typeof d.authorName === 'string' && d.authorName ? d.authorName : null;
      const title =
        l === 'fr'
          ? `${who ? `${who} a commenté` : 'Nouveau commentaire sur'} votre signalement ${ref}`
          : `${who ? `${who} commented on` : 'New comment on'} your report ${ref}`;
      return { title, body: excerpt(d.excerpt), path };
    }
    default:
      return { title: n.type, body: '', path };
  }
}
