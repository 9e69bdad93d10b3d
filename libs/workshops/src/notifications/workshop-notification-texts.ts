import type { Locale } from '@app/identity';
import type { NotificationContent, RenderedNotification } from '@app/notifications';
import { DateTime } from 'luxon';

/** The notification types of the workshops library. */
export const WORKSHOP_NOTIFICATION_TYPES = {
  seatOffered: 'workshop.seat_offered',
  offerExpired: 'workshop.offer_expired',
  reminder: 'workshop.reminder',
  sessionMoved: 'workshop.session_moved',
  sessionCancelled: 'workshop.session_cancelled',
} as const;

const T = WORKSHOP_NOTIFICATION_TYPES;

const when = (iso: unknown, zone: unknown, locale: Locale): string =>
  typeof iso === 'string' ? DateTime.fromISO(iso, { zone: typeof zone === 'string' ? zone : 'UTC' }).setLocale(locale).toFormat(locale === 'fr' ? "cccc d LLLL yyyy 'à' HH'h'mm" : "cccc d LLLL yyyy 'at' HH:mm") : '';

const titleOf = (value: unknown, locale: Locale): string => {
  const t = (value ?? {}) as Partial<Record<Locale, string>>;
  return t[locale] ?? t.fr ?? t.en ?? '';
};

/** Words every workshop notification in French or English; data carries the title, times and zone. */
export function renderWorkshopNotification(n: NotificationContent, locale: Locale): RenderedNotification {
  const l: Locale = locale === 'en' ? 'en' : 'fr';
  const d = n.data;
  const title = titleOf(d.title, l);
  const start = when(d.startsAt, d.timezone, l);
  const path = `/workshops/${String(d.workshopId ?? n.subjectId)}`;
  switch (n.type) {
    case T.seatOffered:
      return l === 'fr'
        ? { title: `Une place s'est libérée : ${title}`, body: `Une place vous est réservée pour la séance du ${start}. Acceptez-la avant le ${when(d.expiresAt, d.timezone, l)}, sinon elle sera proposée à la personne suivante.`, path }
        : { title: `A seat is free: ${title}`, body: `A seat is held for you at the session on ${start}. Accept it before ${when(d.expiresAt, d.timezone, l)}, or it goes to the next person waiting.`, path };
    case T.offerExpired:
      return l === 'fr'
        ? { title: `Place non confirmée : ${title}`, body: `La place proposée pour la séance du ${start} n'a pas été acceptée à temps ; elle est passée à la personne suivante.`, path }
        : { title: `Seat not taken: ${title}`, body: `The seat offered for the session on ${start} was not accepted in time; it went to the next person waiting.`, path };
    case T.reminder:
      return l === 'fr'
        ? { title: `Rappel : ${title}`, body: `Votre atelier commence le ${start}${d.place ? ` (${String(d.place)})` : ''}. Montrez votre code ${String(d.code ?? '')} à l'entrée.`, path }
        : { title: `Reminder: ${title}`, body: `Your workshop starts on ${start}${d.place ? ` (${String(d.place)})` : ''}. Show your code ${String(d.code ?? '')} at the door.`, path };
    case T.sessionMoved:
      return l === 'fr'
        ? { title: `Séance déplacée : ${title}`, body: `La séance prévue le ${when(d.fromStartsAt, d.timezone, l)} a lieu désormais le ${start}${d.place ? ` (${String(d.place)})` : ''}.`, path }
        : { title: `Session moved: ${title}`, body: `The session planned on ${when(d.fromStartsAt, d.timezone, l)} now takes place on ${start}${d.place ? ` (${String(d.place)})` : ''}.`, path };
    case T.sessionCancelled:
      return l === 'fr'
        ? { title: `Séance annulée : ${title}`, body: `La séance du ${start} est annulée.`, path }
        : { title: `Session cancelled: ${title}`, body: `The session on ${start} is cancelled.`, path };
    default:
      return { title, body: '', path };
  }
}
