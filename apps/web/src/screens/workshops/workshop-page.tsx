import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { localized, sessionWhen, type HeldSeat, type Registration, type Workshop, type WorkshopSession } from './workshop-format';
import { WorkshopOutcomes } from './workshop-outcomes';
import { useWorkshopNotices } from './live-notices';

/**
 * My registrations for this workshop's sessions, from the API (so on every device): the live one
 * of each session when I hold one, else the latest cancelled.
 */
async function loadMine(workshopId: string): Promise<Record<string, HeldSeat>> {
  const answer = unwrap(await api.GET('/api/v1/me/workshop-registrations', { params: { query: { workshopId, limit: 100 } } }));
  const mine: Record<string, HeldSeat> = {};
  for (const r of answer.items) if (!mine[r.sessionId] || mine[r.sessionId].status === 'cancelled') mine[r.sessionId] = r;
  return mine;
}

function SessionItem(props: { session: WorkshopSession; venue: string | null; mine: HeldSeat | undefined; signedIn: boolean; facilitating: boolean; onChange: (r: HeldSeat) => void }) {
  const { t, locale } = useI18n();
  const { session: s, mine } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = mine && mine.status !== 'cancelled' ? mine : undefined;

  const register = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.POST('/api/v1/sessions/{id}/registrations', { params: { path: { id: s.id } } });
      const meta = (result.error as { code?: string; meta?: { registrationId?: string } } | undefined)?.meta;
      // Registered meanwhile (another device, another tab): show that registration rather than an error.
      const already = result.response.status === 409 && meta?.registrationId;
      const registration = already
        ? (unwrap(await api.GET('/api/v1/registrations/{id}', { params: { path: { id: meta.registrationId! } } })) as Registration)
        : (unwrap(result) as Registration);
      props.onChange(registration);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  /** Cancel, or answer an offered seat: the API answers the registration as it now is. */
  const act = async (path: '/api/v1/registrations/{id}/cancel' | '/api/v1/registrations/{id}/offer/accept' | '/api/v1/registrations/{id}/offer/decline') => {
    if (!live) return;
    setBusy(true);
    setError(null);
    try {
      props.onChange(unwrap(await api.POST(path, { params: { path: { id: live.id } } })) as Registration);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="item stack" data-testid="workshop-session">
      <p>
        <strong>{sessionWhen(s, locale)}</strong>
      </p>
      <p class="muted">
        {props.venue ?? t('workshop.noVenue')} ·{' '}
        {s.status === 'cancelled' ? t('workshop.sessionCancelled') : s.seatsLeft > 0 ? t('workshop.seatsLeft', { count: s.seatsLeft }) : t('workshop.full')}
      </p>
      {live?.status === 'offered' && live.offerExpiresAt && (
        <p data-testid="offer-expiry">{t('workshop.offer.until', { when: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: s.timezone }).format(new Date(live.offerExpiresAt)) })}</p>
      )}
      {live && (
        <p role="status">
          <span class="badge" data-testid="registration-status">
            {live.status === 'waitlisted' && live.waitlistPosition != null ? t('workshop.waitlisted', { position: live.waitlistPosition }) : t(`workshop.status.${live.status}`)}
          </span>
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      {s.status === 'scheduled' && props.facilitating && (
        <p>
          <Link href={ROUTES.facilitatorBoard(s.id)}>{t('board.facilitator.open')}</Link>
        </p>
      )}
      {s.status === 'scheduled' && props.signedIn && (
        <div class="actions">
          {live ? (
            <>
              <Link href={ROUTES.ticket(live.id)}>{t('workshop.ticket.link')}</Link>
              {live.status === 'offered' ? (
                <>
                  <button type="button" disabled={busy} onClick={() => void act('/api/v1/registrations/{id}/offer/accept')}>
                    {t('workshop.offer.accept')}
                  </button>
                  <button type="button" disabled={busy} onClick={() => void act('/api/v1/registrations/{id}/offer/decline')}>
                    {t('workshop.offer.decline')}
                  </button>
                </>
              ) : (
                <button type="button" disabled={busy} onClick={() => void act('/api/v1/registrations/{id}/cancel')}>
                  {live.status === 'registered' ? t('workshop.cancel') : t('workshop.leave')}
                </button>
              )}
            </>
          ) : (
            <button type="button" disabled={busy} onClick={() => void register()}>
              {s.seatsLeft > 0 ? t('workshop.register') : t('workshop.joinWaitlist')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * Registering for every open session of a series at once (`POST /workshops/:id/registrations`): a
 * seat where there is one, the waiting list elsewhere; sessions already held are answered as they are.
 */
function SeriesRegistration({ workshop, mine, onRegistered }: { workshop: Workshop; mine: Record<string, HeldSeat>; onRegistered: (all: Registration[]) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const open = workshop.sessions.filter((s) => s.status === 'scheduled' && new Date(s.registrationCutoffAt).getTime() > Date.now());
  if (open.length < 2 || open.every((s) => mine[s.id] && mine[s.id].status !== 'cancelled')) {
    return summary ? <p role="status" data-testid="series-summary">{summary}</p> : null;
  }
  const register = async () => {
    setBusy(true);
    setError(null);
    try {
      const all = unwrap(await api.POST('/api/v1/workshops/{id}/registrations', { params: { path: { id: workshop.id } } })) as Registration[];
      const seats = all.filter((r) => r.status === 'registered' || r.status === 'offered').length;
      setSummary(t('workshop.series.done', { seats, waiting: all.length - seats }));
      onRegistered(all);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void register()}>
          {t('workshop.series.register', { count: open.length })}
        </button>
      </div>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A workshop: its text, format, its sessions with registering, cancelling and my ticket; its calendar feed. */
export function WorkshopPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const town = useTown();
  const workshop = useAsync(async () => unwrap(await api.GET('/api/v1/workshops/{id}', { params: { path: { id } } })), [id]);
  // Venue names come from the town's public venue list (the workshop answer carries ids only).
  const venues = useAsync(
    async () => (town ? unwrap(await api.GET('/api/v1/municipalities/{slug}/venues', { params: { path: { slug: town.slug } } })) : []),
    [town?.slug],
  );
  // The person's id, to offer the facilitators of this workshop its live board.
  const me = useAsync(async () => (session ? unwrap(await api.GET('/api/v1/me')).id : null), [!!session]);
  const mine = useAsync<Record<string, HeldSeat>>(async () => (session && workshop.data ? loadMine(workshop.data.id) : {}), [!!session, workshop.data?.id]);
  // A seat offered (or a session moved or cancelled) reaches this screen live: read it all again.
  useWorkshopNotices(workshop.data?.id, () => {
    workshop.reload();
    mine.reload();
  });

  if (workshop.error != null) return <Failure error={workshop.error} onRetry={workshop.reload} />;
  if (!workshop.data) return <Loading />;
  const w = workshop.data;
  const venueName = (venueId: string | null) => venues.data?.find((v) => v.id === venueId)?.name ?? null;
  return (
    <section class="card stack" aria-labelledby="workshop-title">
      <h1 id="workshop-title">{localized(w.title, locale)}</h1>
      <p>
        <span class="badge">{t(`workshop.format.${w.format}`)}</span>
      </p>
      <p data-testid="workshop-description">{localized(w.description, locale)}</p>
      {w.onlineUrl && (
        <p>
          <a href={w.onlineUrl} rel="noopener noreferrer">
            {t('workshop.onlineLink')}
          </a>
        </p>
      )}
      <p>
        <a href={`/api/v1/workshops/${w.id}/calendar?lang=${locale}`} data-testid="calendar-link">
          {t('workshop.calendar')}
        </a>
        {session && (
          <>
            {' · '}
            <Link href={ROUTES.myWorkshopCalendar}>{t('workshop.myCalendar.link')}</Link>
            {' · '}
            <Link href={ROUTES.myWorkshops}>{t('workshop.mine.link')}</Link>
          </>
        )}
      </p>
      <h2>{t('workshop.sessions')}</h2>
      {!session && <Link href={ROUTES.signIn}>{t('workshop.signInToRegister')}</Link>}
      {mine.error != null && <Failure error={mine.error} onRetry={mine.reload} />}
      {session && mine.data && (
        <SeriesRegistration
          workshop={w}
          mine={mine.data}
          onRegistered={(all) => {
            mine.set((shown) => ({ ...(shown ?? {}), ...Object.fromEntries(all.map((r) => [r.sessionId, r])) }));
            workshop.reload();
          }}
        />
      )}
      <ul class="list">
        {w.sessions.map((s) => (
          <SessionItem
            key={s.id}
            session={s}
            venue={venueName(s.venueId)}
            mine={mine.data?.[s.id]}
            signedIn={!!session}
            facilitating={!!me.data && w.facilitatorIds.includes(me.data)}
            onChange={(r) => {
              mine.set((all) => ({ ...(all ?? {}), [s.id]: r }));
              workshop.reload();
            }}
          />
        ))}
      </ul>
      <WorkshopOutcomes workshopId={w.id} sessions={w.sessions} />
    </section>
  );
}
