import type { Schemas } from '../../../api/client';
import { useI18n } from '../../../i18n';
import type { WorkshopSession } from '../workshop-format';
import { localInput } from './admin-format';

export type Venue = Schemas['VenueResponseDto'];
type SessionInput = Schemas['SessionInputDto'];

/** A session as typed in the form: strings as the inputs hold them. */
export interface SessionDraft {
  startsAt: string;
  endsAt: string;
  registrationCutoff: string;
  venueId: string;
  roomId: string;
  capacity: string;
  repeat: '' | 'daily' | 'weekly';
  repeatCount: string;
}

export const EMPTY_SESSION: SessionDraft = { startsAt: '', endsAt: '', registrationCutoff: '', venueId: '', roomId: '', capacity: '20', repeat: '', repeatCount: '2' };

/** A saved session as the form shows it, times on the town's clock. */
export function draftOf(s: WorkshopSession): SessionDraft {
  const cutoff = s.registrationCutoffAt === s.startsAt ? '' : localInput(s.registrationCutoffAt, s.timezone);
  return { startsAt: s.localStartsAt, endsAt: s.localEndsAt, registrationCutoff: cutoff, venueId: s.venueId ?? '', roomId: s.roomId ?? '', capacity: String(s.capacity), repeat: '', repeatCount: '2' };
}

/** The API's session input (new sessions): empty fields left out. */
export function sessionInput(d: SessionDraft): SessionInput {
  return {
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    capacity: Number(d.capacity),
    ...(d.registrationCutoff ? { registrationCutoff: d.registrationCutoff } : {}),
    ...(d.venueId ? { venueId: d.venueId } : {}),
    ...(d.roomId ? { roomId: d.roomId } : {}),
    ...(d.repeat ? { repeat: { frequency: d.repeat, count: Number(d.repeatCount) } } : {}),
  };
}

/** A move: only what changed, so an untouched time is not sent as a move (people are told of moves). */
export function sessionChanges(before: SessionDraft, after: SessionDraft): Schemas['UpdateSessionDto'] {
  const changes: Schemas['UpdateSessionDto'] = {};
  if (after.startsAt !== before.startsAt) changes.startsAt = after.startsAt;
  if (after.endsAt !== before.endsAt) changes.endsAt = after.endsAt;
  if (after.registrationCutoff && after.registrationCutoff !== before.registrationCutoff) changes.registrationCutoff = after.registrationCutoff;
  if (after.venueId !== before.venueId || after.roomId !== before.roomId) {
    if (after.venueId) changes.venueId = after.venueId;
    if (after.roomId) changes.roomId = after.roomId;
  }
  if (after.capacity !== before.capacity) changes.capacity = Number(after.capacity);
  return changes;
}

/**
 * One session's fields: start and end on the town's clock (`datetime-local` gives exactly the
 * API's `YYYY-MM-DDTHH:mm`), the registration cut-off, venue and room (with its capacity),
 * capacity, and for new sessions a repetition (a series).
 */
export function SessionFields(props: { idPrefix: string; legend: string; draft: SessionDraft; venues: Venue[]; zone: string; allowRepeat: boolean; onChange: (d: SessionDraft) => void }) {
  const { t } = useI18n();
  const { draft: d, idPrefix: id } = props;
  const set = (field: keyof SessionDraft) => (e: Event) => props.onChange({ ...d, [field]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const rooms = props.venues.find((v) => v.id === d.venueId)?.rooms ?? [];
  return (
    <fieldset class="stack">
      <legend>{props.legend}</legend>
      <p class="muted">{t('workshopAdmin.session.zone', { zone: props.zone })}</p>
      <div class="filters-inline">
        <label>
          {t('workshopAdmin.session.start')}
          <input id={`${id}-start`} type="datetime-local" required value={d.startsAt} onInput={set('startsAt')} />
        </label>
        <label>
          {t('workshopAdmin.session.end')}
          <input id={`${id}-end`} type="datetime-local" required value={d.endsAt} onInput={set('endsAt')} />
        </label>
        <label>
          {t('workshopAdmin.session.cutoff')}
          <input id={`${id}-cutoff`} type="datetime-local" value={d.registrationCutoff} onInput={set('registrationCutoff')} />
        </label>
      </div>
      <div class="filters-inline">
        <label>
          {t('workshopAdmin.session.venue')}
          <select value={d.venueId} onChange={(e) => props.onChange({ ...d, venueId: (e.currentTarget as HTMLSelectElement).value, roomId: '' })}>
            <option value="">{t('workshopAdmin.session.noVenue')}</option>
            {props.venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('workshopAdmin.session.room')}
          <select value={d.roomId} disabled={rooms.length === 0} onChange={set('roomId')}>
            <option value="">{t('workshopAdmin.session.noRoom')}</option>
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {t('workshopAdmin.room.option', { name: r.name, capacity: r.capacity })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('workshopAdmin.session.capacity')}
          <input type="number" required min={1} max={10000} step={1} inputMode="numeric" value={d.capacity} onInput={set('capacity')} />
        </label>
      </div>
      {props.allowRepeat && (
        <div class="filters-inline">
          <label>
            {t('workshopAdmin.session.repeat')}
            <select value={d.repeat} onChange={set('repeat')}>
              <option value="">{t('workshopAdmin.session.repeatNone')}</option>
              <option value="daily">{t('workshopAdmin.session.repeatDaily')}</option>
              <option value="weekly">{t('workshopAdmin.session.repeatWeekly')}</option>
            </select>
          </label>
          {d.repeat && (
            <label>
              {t('workshopAdmin.session.repeatCount')}
              <input type="number" required min={2} max={52} step={1} inputMode="numeric" value={d.repeatCount} onInput={set('repeatCount')} />
            </label>
          )}
        </div>
      )}
    </fieldset>
  );
}
