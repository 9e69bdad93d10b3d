import { useState } from 'preact/hooks';
import { api, unwrap } from '../../../api/client';
import { Failure, Loading, useAsync } from '../../../components/async';
import { Link } from '../../../components/link';
import { useI18n } from '../../../i18n';
import { ROUTES } from '../../../router';
import { localized, sessionWhen, type Workshop, type WorkshopSession } from '../workshop-format';
import { explainFailure, type FailureContext } from './admin-format';
import { draftOf, EMPTY_SESSION, SessionFields, sessionChanges, sessionInput, type SessionDraft } from './session-fields';
import { type TownAdmin, useTownAdmin } from './use-town-admin';
import { workshopBody, workshopDraftOf, WorkshopFields } from './workshop-fields';

/** Runs a write; a refusal (a double booking named) is shown beside the form. */
function useWrite(town: TownAdmin) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ctx: FailureContext = { t, locale, zone: town.zone, names: town.names };
  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (failure) {
      setError(await explainFailure(failure, ctx));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function ErrorNote({ error, testId }: { error: string | null; testId: string }) {
  if (!error) return null;
  return (
    <p role="alert" class="notice notice-error" data-testid={testId}>
      {error}
    </p>
  );
}

function DetailsForm({ slug, workshop, town, onSaved }: { slug: string; workshop: Workshop; town: TownAdmin; onSaved: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(workshopDraftOf(workshop));
  const [saved, setSaved] = useState(false);
  const write = useWrite(town);
  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void write.run(async () => {
      unwrap(await api.PATCH('/api/v1/municipalities/{slug}/workshops/{id}', { params: { path: { slug, id: workshop.id } }, body: workshopBody(draft, !!town.facilitators) }));
      setSaved(true);
      onSaved();
    });
  };
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="details-title">
      <h2 id="details-title">{t('workshopAdmin.workshop.details')}</h2>
      <WorkshopFields draft={draft} facilitators={town.facilitators} onChange={setDraft} />
      <ErrorNote error={write.error} testId="details-error" />
      {saved && <p role="status">{t('workshopAdmin.saved')}</p>}
      <div class="actions">
        <button type="submit" disabled={write.busy}>
          {t('workshopAdmin.save')}
        </button>
      </div>
    </form>
  );
}

function SessionItem({ session: s, town, onChanged }: { session: WorkshopSession; town: TownAdmin; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const [moving, setMoving] = useState<SessionDraft | null>(null);
  const [confirming, setConfirming] = useState(false);
  const write = useWrite(town);
  const venue = town.venues.find((v) => v.id === s.venueId);
  const room = venue?.rooms.find((r) => r.id === s.roomId);
  const when = sessionWhen(s, locale);
  const move = (e: Event) => {
    e.preventDefault();
    if (!moving) return;
    const body = sessionChanges(draftOf(s), moving);
    void write.run(async () => {
      if (Object.keys(body).length) unwrap(await api.PATCH('/api/v1/sessions/{id}', { params: { path: { id: s.id } }, body }));
      setMoving(null);
      onChanged();
    });
  };
  const cancel = () =>
    void write.run(async () => {
      unwrap(await api.POST('/api/v1/sessions/{id}/cancel', { params: { path: { id: s.id } } }));
      setConfirming(false);
      onChanged();
    });
  return (
    <li class="item stack" data-testid="admin-session">
      <p>
        <strong>{when}</strong> {s.status === 'cancelled' && <span class="badge">{t('workshop.sessionCancelled')}</span>}
      </p>
      <p class="muted">
        {venue ? (room ? `${venue.name} · ${room.name}` : venue.name) : t('workshop.noVenue')} · {t('workshopAdmin.session.seats', { capacity: s.capacity, left: s.seatsLeft })}
      </p>
      {s.status === 'scheduled' && (
        <div class="actions">
          <Link href={ROUTES.sessionDoor(s.id)}>{t('workshopAdmin.session.door')}</Link>
          {!moving && (
            <button type="button" class="secondary" aria-label={t('workshopAdmin.session.moveLabel', { when })} onClick={() => setMoving(draftOf(s))}>
              {t('workshopAdmin.session.move')}
            </button>
          )}
          {!confirming ? (
            <button type="button" class="secondary" aria-label={t('workshopAdmin.session.cancelLabel', { when })} onClick={() => setConfirming(true)}>
              {t('workshopAdmin.session.cancel')}
            </button>
          ) : (
            <>
              <span role="status">{t('workshopAdmin.session.cancelWarning')}</span>
              <button type="button" disabled={write.busy} onClick={cancel}>
                {t('workshopAdmin.session.cancelConfirm')}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t('workshopAdmin.session.cancelKeep')}
              </button>
            </>
          )}
        </div>
      )}
      {moving && (
        <form class="stack" onSubmit={move}>
          <SessionFields idPrefix={`move-${s.id}`} legend={t('workshopAdmin.session.moveLegend', { when })} draft={moving} venues={town.venues} zone={town.zone} allowRepeat={false} onChange={setMoving} />
          <p class="muted">{t('workshopAdmin.session.moveHint')}</p>
          <div class="actions">
            <button type="submit" disabled={write.busy}>
              {t('workshopAdmin.session.saveMove')}
            </button>
            <button type="button" class="secondary" onClick={() => setMoving(null)}>
              {t('workshopAdmin.cancelEdit')}
            </button>
          </div>
        </form>
      )}
      <ErrorNote error={write.error} testId="session-error" />
    </li>
  );
}

function AddSessionsForm({ workshopId, town, onAdded }: { workshopId: string; town: TownAdmin; onAdded: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<SessionDraft>(EMPTY_SESSION);
  const write = useWrite(town);
  const submit = (e: Event) => {
    e.preventDefault();
    void write.run(async () => {
      unwrap(await api.POST('/api/v1/workshops/{id}/sessions', { params: { path: { id: workshopId } }, body: { sessions: [sessionInput(draft)] } }));
      setDraft(EMPTY_SESSION);
      onAdded();
    });
  };
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="add-sessions-title" data-testid="add-sessions">
      <h2 id="add-sessions-title">{t('workshopAdmin.session.add')}</h2>
      <SessionFields idPrefix="add-session" legend={t('workshopAdmin.session.newLegend')} draft={draft} venues={town.venues} zone={town.zone} allowRepeat onChange={setDraft} />
      <ErrorNote error={write.error} testId="add-sessions-error" />
      <div class="actions">
        <button type="submit" disabled={write.busy}>
          {t('workshopAdmin.session.addSubmit')}
        </button>
      </div>
    </form>
  );
}

/** One workshop's administration: its text, facilitators and format; its sessions moved, cancelled, added. */
export function WorkshopEditScreen({ slug, id }: { slug: string; id: string }) {
  const { t, locale } = useI18n();
  const town = useTownAdmin(slug);
  const workshop = useAsync(async () => unwrap(await api.GET('/api/v1/workshops/{id}', { params: { path: { id } } })), [id]);
  const error = town.error ?? workshop.error;
  if (error != null) return <Failure error={error} onRetry={() => (town.reload(), workshop.reload())} />;
  if (!town.data || !workshop.data) return <Loading />;
  const w = workshop.data;
  return (
    <section class="card stack" aria-labelledby="workshop-edit-title">
      <p>
        <Link href={ROUTES.workshopAdmin(slug)}>{t('workshopAdmin.back')}</Link> · <Link href={ROUTES.workshop(w.id)}>{t('workshopAdmin.publicPage')}</Link>
      </p>
      <h1 id="workshop-edit-title">{localized(w.title, locale)}</h1>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('workshop.sessions')}</h2>
        <ul class="list" data-testid="admin-sessions">
          {w.sessions.map((s) => (
            <SessionItem key={`${s.id}:${s.sequence}:${s.status}`} session={s} town={town.data!} onChanged={workshop.reload} />
          ))}
        </ul>
      </section>
      <AddSessionsForm workshopId={w.id} town={town.data} onAdded={workshop.reload} />
      <DetailsForm key={w.id} slug={slug} workshop={w} town={town.data} onSaved={workshop.reload} />
    </section>
  );
}
