import type { Schemas } from '../../api/client';
import type { Locale } from '../../i18n';

export type SessionListing = Schemas['SessionListingDto'];
export type WorkshopSession = Schemas['SessionResponseDto'];
export type Workshop = Schemas['WorkshopResponseDto'];
export type Registration = Schemas['RegistrationResponseDto'];
export type MyRegistration = Schemas['MyRegistrationDto'];
/** What a screen shows of a seat I hold: a registration as answered by a write, or a line of my registrations. */
export type HeldSeat = Pick<Registration, 'id' | 'sessionId' | 'status' | 'waitlistPosition' | 'offerExpiresAt'>;

/** The workshop's text in the reader's language (both are required by the API). */
export function localized(text: { fr: string; en: string }, locale: Locale): string {
  return text[locale] || text.fr || text.en;
}

/**
 * A session's date and time in the town's timezone (the API's `timezone`), not the phone's:
 * a resident travelling or with a misset phone still reads the time on the town's clocks.
 */
export function sessionWhen(session: Pick<WorkshopSession, 'startsAt' | 'endsAt' | 'timezone'>, locale: Locale): string {
  const lang = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const day = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: session.timezone }).format(new Date(session.startsAt));
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: session.timezone });
  return `${day}, ${time.format(new Date(session.startsAt))}–${time.format(new Date(session.endsAt))}`;
}
