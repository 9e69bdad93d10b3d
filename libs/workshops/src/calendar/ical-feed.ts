import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { LocalizedText } from '../workshops/workshop.entity';

/** A session as a calendar entry. */
export interface FeedEntry {
  sessionId: string;
  workshopId: string;
  title: LocalizedText;
  description: LocalizedText;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  sequence: number;
  updatedAt: Date;
  location: string | null;
  onlineUrl: string | null;
  /** The session's town's zone, when the feed mixes towns (a person's feed); else the feed's. */
  timezone?: string;
}

/** Stable across feeds and edits: a session is one calendar event wherever it appears. */
export function sessionUid(sessionId: string): string {
  return `workshop-session-${sessionId}@civic-platform`;
}

/**
 * An RFC 5545 calendar of sessions, written by ical-generator, times given in the town's zone
 * with its VTIMEZONE (from @touch4it/ical-timezones) so clients show the town's wall-clock time.
 * SEQUENCE is the session's: it grows with each move, place change, cancellation or text edit.
 */
export function renderFeed(name: string, timezone: string, locale: 'fr' | 'en', entries: FeedEntry[], publicUrl: string): string {
  const calendar = ical({ name, prodId: { company: 'civic-platform', product: 'workshops', language: locale.toUpperCase() }, // No calendar-wide zone: DTSTAMP and LAST-MODIFIED stay in UTC as RFC 5545 wants, while each
  // event's times carry its TZID; the generator adds one VTIMEZONE per zone the events use.
  timezone: { name: null, generator: getVtimezoneComponent } });
  for (const e of entries) {
    calendar.createEvent({
      id: sessionUid(e.sessionId),
      sequence: e.sequence,
      // Luxon values: ical-generator converts them to the event's zone (a bare Date would be
      // written in the process's own zone under the TZID).
      start: DateTime.fromJSDate(e.startsAt),
      end: DateTime.fromJSDate(e.endsAt),
      timezone: e.timezone ?? timezone,
      stamp: e.updatedAt,
      lastModified: e.updatedAt,
      summary: e.title[locale] || e.title.fr,
      description: [e.description[locale] || e.description.fr, e.onlineUrl].filter(Boolean).join('\n\n'),
      location: e.location,
      url: `${publicUrl.replace(/\/$/, '')}/workshops/${e.workshopId}`,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
