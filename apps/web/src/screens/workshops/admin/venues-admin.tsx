import { useState } from 'preact/hooks';
import { api, unwrap } from '../../../api/client';
import { describeError } from '../../../api/errors';
import { MapPicker, type Point } from '../../../components/map-picker';
import { useI18n } from '../../../i18n';
import type { Venue } from './session-fields';

type RoomDraft = { name: string; capacity: string };
type VenueDraft = { name: string; address: string; accessibility: string; isThirdPlace: boolean; location: Point | null };
/** The town's outline, drawn on the location map (a map without tiles stays readable). */
type Boundary = object | null;

/** The body of a new venue: the location once one is chosen (the API sets the district from it). */
function venueBody(d: VenueDraft) {
  const { location, ...text } = d;
  return { ...text, name: d.name.trim(), ...(location ? { location: { lat: location.lat, lng: location.lng } } : {}) };
}

/** The body of a change: without a location it sends null, which takes a former one (and its district) off. */
function venueChange(d: VenueDraft) {
  return { location: null, ...venueBody(d) };
}

const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

/** Name, address, location, accessibility and "third place": the fields of a new venue and of a change. */
function VenueTextFields({ draft, boundary, idPrefix, onChange }: { draft: VenueDraft; boundary: Boundary; idPrefix: string; onChange: (d: VenueDraft) => void }) {
  const { t } = useI18n();
  const p = draft.location;
  return (
    <>
      <label>
        {t('workshopAdmin.venue.name')}
        <input required maxLength={200} value={draft.name} onInput={(e) => onChange({ ...draft, name: value(e) })} />
      </label>
      <label>
        {t('workshopAdmin.venue.address')}
        <input maxLength={500} value={draft.address} onInput={(e) => onChange({ ...draft, address: value(e) })} />
      </label>
      <fieldset class="stack" aria-describedby={`${idPrefix}-location-hint`}>
        <legend>{t('workshopAdmin.venue.location')}</legend>
        <p class="muted" id={`${idPrefix}-location-hint`}>
          {t('workshopAdmin.venue.locationHint')}
        </p>
        <MapPicker value={p} boundary={boundary} label={t('workshopAdmin.venue.map')} onPick={(location) => onChange({ ...draft, location })} />
        <p role="status" data-testid="venue-location">
          {p ? t('workshopAdmin.venue.locationIs', { lat: p.lat.toFixed(5), lng: p.lng.toFixed(5) }) : t('workshopAdmin.venue.noLocation')}
        </p>
        {p && (
          <button type="button" class="secondary" onClick={() => onChange({ ...draft, location: null })}>
            {t('workshopAdmin.venue.removeLocation')}
          </button>
        )}
      </fieldset>
      <label>
        {t('workshopAdmin.venue.accessibility')}
        <textarea rows={2} maxLength={2000} value={draft.accessibility} onInput={(e) => onChange({ ...draft, accessibility: value(e) })} />
      </label>
      <label class="inline">
        <input type="checkbox" checked={draft.isThirdPlace} onChange={(e) => onChange({ ...draft, isThirdPlace: (e.currentTarget as HTMLInputElement).checked })} /> {t('workshopAdmin.venue.thirdPlace')}
      </label>
    </>
  );
}

/** Runs a write, showing the API's refusal next to the form; true when it went through. */
function useWrite() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
      return true;
    } catch (failure) {
      setError(describeError(failure, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const alert = error && (
    <p role="alert" class="notice notice-error">
      {error}
    </p>
  );
  return { busy, run, alert };
}

function VenueItem({ slug, venue, canWrite, boundary, onSaved }: { slug: string; venue: Venue; canWrite: boolean; boundary: Boundary; onSaved: (v: Venue) => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<VenueDraft>({ name: venue.name, address: venue.address, accessibility: venue.accessibility, isThirdPlace: venue.isThirdPlace, location: venue.location });
  const [room, setRoom] = useState<RoomDraft>({ name: '', capacity: '' });
  const write = useWrite();
  const path = { slug, id: venue.id };
  const save = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      onSaved(unwrap(await api.PATCH('/api/v1/municipalities/{slug}/venues/{id}', { params: { path }, body: venueChange(draft) })));
      setEditing(false);
    });
  };
  const addRoom = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      onSaved(unwrap(await api.POST('/api/v1/municipalities/{slug}/venues/{id}/rooms', { params: { path }, body: { name: room.name.trim(), capacity: Number(room.capacity) } })));
      setRoom({ name: '', capacity: '' });
    });
  };
  return (
    <li class="item stack" data-testid="venue">
      <h3>
        {venue.name} {venue.isThirdPlace && <span class="badge">{t('workshopAdmin.venue.thirdPlaceBadge')}</span>}
      </h3>
      {venue.address && <p>{venue.address}</p>}
      <p data-testid="venue-accessibility">{venue.accessibility ? t('workshopAdmin.venue.accessibilityIs', { text: venue.accessibility }) : t('workshopAdmin.venue.noAccessibility')}</p>
      <ul data-testid="venue-rooms">
        {venue.rooms.map((r) => (
          <li key={r.id}>{t('workshopAdmin.room.option', { name: r.name, capacity: r.capacity })}</li>
        ))}
      </ul>
      {canWrite && !editing && (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setEditing(true)} aria-label={t('workshopAdmin.venue.editLabel', { name: venue.name })}>
            {t('workshopAdmin.venue.edit')}
          </button>
        </div>
      )}
      {canWrite && editing && (
        <form class="stack" onSubmit={save} aria-label={t('workshopAdmin.venue.editLabel', { name: venue.name })}>
          <VenueTextFields draft={draft} boundary={boundary} idPrefix={`venue-${venue.id}`} onChange={setDraft} />
          <div class="actions">
            <button type="submit" disabled={write.busy}>
              {t('workshopAdmin.save')}
            </button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              {t('workshopAdmin.cancelEdit')}
            </button>
          </div>
        </form>
      )}
      {canWrite && (
        <form class="filters-inline" onSubmit={addRoom} aria-label={t('workshopAdmin.room.addTo', { name: venue.name })}>
          <label>
            {t('workshopAdmin.room.name')}
            <input required maxLength={120} value={room.name} onInput={(e) => setRoom({ ...room, name: value(e) })} />
          </label>
          <label>
            {t('workshopAdmin.room.capacity')}
            <input type="number" required min={1} max={10000} step={1} inputMode="numeric" value={room.capacity} onInput={(e) => setRoom({ ...room, capacity: value(e) })} />
          </label>
          <button type="submit" disabled={write.busy}>
            {t('workshopAdmin.room.add')}
          </button>
        </form>
      )}
      {write.alert}
    </li>
  );
}

function NewVenueForm({ slug, boundary, onCreated }: { slug: string; boundary: Boundary; onCreated: (v: Venue) => void }) {
  const { t } = useI18n();
  const empty: VenueDraft = { name: '', address: '', accessibility: '', isThirdPlace: false, location: null };
  const [draft, setDraft] = useState<VenueDraft>(empty);
  const [rooms, setRooms] = useState<RoomDraft[]>([{ name: '', capacity: '' }]);
  const write = useWrite();
  const submit = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      const body = { ...venueBody(draft), rooms: rooms.filter((r) => r.name.trim()).map((r) => ({ name: r.name.trim(), capacity: Number(r.capacity) })) };
      onCreated(unwrap(await api.POST('/api/v1/municipalities/{slug}/venues', { params: { path: { slug } }, body })));
      setDraft(empty);
      setRooms([{ name: '', capacity: '' }]);
    });
  };
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="new-venue-title" data-testid="new-venue">
      <h3 id="new-venue-title">{t('workshopAdmin.venue.new')}</h3>
      <VenueTextFields draft={draft} boundary={boundary} idPrefix="new-venue" onChange={setDraft} />
      <fieldset class="stack">
        <legend>{t('workshopAdmin.venue.rooms')}</legend>
        {rooms.map((r, i) => (
          <div class="filters-inline" key={i}>
            <label>
              {t('workshopAdmin.room.nameN', { n: i + 1 })}
              <input maxLength={120} value={r.name} onInput={(e) => setRooms(rooms.map((x, j) => (j === i ? { ...x, name: value(e) } : x)))} />
            </label>
            <label>
              {t('workshopAdmin.room.capacityN', { n: i + 1 })}
              <input type="number" required={!!r.name.trim()} min={1} max={10000} step={1} inputMode="numeric" value={r.capacity} onInput={(e) => setRooms(rooms.map((x, j) => (j === i ? { ...x, capacity: value(e) } : x)))} />
            </label>
          </div>
        ))}
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setRooms([...rooms, { name: '', capacity: '' }])}>
            {t('workshopAdmin.room.another')}
          </button>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={write.busy}>
          {t('workshopAdmin.venue.create')}
        </button>
      </div>
      {write.alert}
    </form>
  );
}

/** The town's venues with their rooms; staff add and change them (facilitators read them). */
export function VenuesAdmin({ slug, venues, canWrite, boundary, onChange }: { slug: string; venues: Venue[]; canWrite: boolean; boundary: Boundary; onChange: (venues: Venue[]) => void }) {
  const { t } = useI18n();
  const replace = (v: Venue) => onChange(venues.some((x) => x.id === v.id) ? venues.map((x) => (x.id === v.id ? v : x)) : [...venues, v].sort((a, b) => a.name.localeCompare(b.name)));
  return (
    <section class="stack" aria-labelledby="venues-title">
      <h2 id="venues-title">{t('workshopAdmin.venues')}</h2>
      {venues.length === 0 && <p class="muted">{t('workshopAdmin.venue.none')}</p>}
      <ul class="list" data-testid="venues">
        {venues.map((v) => (
          <VenueItem key={v.id} slug={slug} venue={v} canWrite={canWrite} boundary={boundary} onSaved={replace} />
        ))}
      </ul>
      {canWrite ? <NewVenueForm slug={slug} boundary={boundary} onCreated={replace} /> : <p class="muted">{t('workshopAdmin.venue.staffOnly')}</p>}
    </section>
  );
}
