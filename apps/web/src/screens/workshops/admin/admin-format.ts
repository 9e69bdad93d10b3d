import { api, ApiError } from '../../../api/client';
import { describeError } from '../../../api/errors';
import type { Locale, Translate } from '../../../i18n';
import { localized } from '../workshop-format';

/**
 * An instant as the wall-clock `YYYY-MM-DDTHH:mm` of `zone`: what `<input type="datetime-local">`
 * shows and what the API takes (times are the town's, whatever the device's own zone).
 */
export function localInput(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** "14 Mar 2027, 18:30–20:30" on the town's clock. */
export function timeRange(startsAt: string, endsAt: string, zone: string, locale: Locale): string {
  const lang = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: zone }).format(new Date(startsAt));
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  return `${day}, ${time.format(new Date(startsAt))}–${time.format(new Date(endsAt))}`;
}

export interface FailureContext {
  t: Translate;
  locale: Locale;
  zone: string;
  /** Names of the town's people by id (facilitators), when the reader may list them. */
  names: Map<string, string>;
}

/**
 * A sentence for a refused write. A double booking (409 WORKSHOP_ROOM_TAKEN or
 * WORKSHOP_FACILITATOR_TAKEN) names what it clashes with: the other workshop's title (read from
 * its public page), its time on the town's clock, and the facilitator when it is a person.
 */
export async function explainFailure(failure: unknown, ctx: FailureContext): Promise<string> {
  if (!(failure instanceof ApiError) || (failure.code !== 'WORKSHOP_ROOM_TAKEN' && failure.code !== 'WORKSHOP_FACILITATOR_TAKEN')) return describeError(failure, ctx.t);
  const clash = failure.meta as { workshopId?: string; startsAt?: string; endsAt?: string; userId?: string };
  let title = ctx.t('workshopAdmin.clash.another');
  if (clash.workshopId && clash.workshopId !== 'unknown') {
    const other = await api.GET('/api/v1/workshops/{id}', { params: { path: { id: clash.workshopId } } }).catch(() => null);
    if (other?.data) title = localized(other.data.title, ctx.locale);
  }
  const when = clash.startsAt && clash.endsAt ? timeRange(clash.startsAt, clash.endsAt, ctx.zone, ctx.locale) : '';
  if (failure.code === 'WORKSHOP_ROOM_TAKEN') return ctx.t('workshopAdmin.clash.room', { title, when });
  const who = (clash.userId && ctx.names.get(clash.userId)) || ctx.t('workshopAdmin.clash.someone');
  return ctx.t('workshopAdmin.clash.facilitator', { who, title, when });
}
