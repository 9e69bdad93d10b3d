import { useState } from 'preact/hooks';
import { api, unwrap } from '../../../api/client';
import { Failure, Loading, useAsync } from '../../../components/async';
import { Link } from '../../../components/link';
import { useI18n } from '../../../i18n';
import { navigate, ROUTES } from '../../../router';
import { localized, sessionWhen } from '../workshop-format';
import { explainFailure } from './admin-format';
import { EMPTY_SESSION, SessionFields, sessionInput, type SessionDraft } from './session-fields';
import { type TownAdmin, useTownAdmin } from './use-town-admin';
import { VenuesAdmin } from './venues-admin';
import { EMPTY_WORKSHOP, workshopBody, WorkshopFields, type WorkshopDraft } from './workshop-fields';

/** A new workshop with one or more sessions (each may be a series); saved, its page opens. */
function NewWorkshopForm({ slug, town }: { slug: string; town: TownAdmin }) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<WorkshopDraft>(EMPTY_WORKSHOP);
  const [sessions, setSessions] = useState<SessionDraft[]>([EMPTY_SESSION]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { ...workshopBody(draft, !!town.facilitators), sessions: sessions.map(sessionInput) };
      const created = unwrap(await api.POST('/api/v1/municipalities/{slug}/workshops', { params: { path: { slug } }, body }));
      navigate(ROUTES.workshopEdit(slug, created.id));
    } catch (failure) {
      setError(await explainFailure(failure, { t, locale, zone: town.zone, names: town.names }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-labelledby="new-workshop-title" data-testid="new-workshop">
      <h2 id="new-workshop-title">{t('workshopAdmin.workshop.new')}</h2>
      <WorkshopFields draft={draft} facilitators={town.facilitators} onChange={setDraft} />
      {sessions.map((s, i) => (
        <SessionFields
          key={i}
          idPrefix={`new-session-${i}`}
          legend={t('workshopAdmin.session.legendN', { n: i + 1 })}
          draft={s}
          venues={town.venues}
          zone={town.zone}
          allowRepeat
          onChange={(next) => setSessions(sessions.map((x, j) => (j === i ? next : x)))}
        />
      ))}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setSessions([...sessions, EMPTY_SESSION])}>
          {t('workshopAdmin.session.another')}
        </button>
        {sessions.length > 1 && (
          <button type="button" class="secondary" onClick={() => setSessions(sessions.slice(0, -1))}>
            {t('workshopAdmin.session.removeLast')}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" class="notice notice-error" data-testid="workshop-error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('workshopAdmin.workshop.create')}
        </button>
      </div>
    </form>
  );
}

/** The town's workshops with upcoming sessions (the public listing, one line per workshop). */
function UpcomingWorkshops({ slug }: { slug: string }) {
  const { t, locale } = useI18n();
  const listing = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/workshops', { params: { path: { slug }, query: { limit: 100 } } })).items, [slug]);
  if (listing.error != null) return <Failure error={listing.error} onRetry={listing.reload} />;
  if (!listing.data) return <Loading />;
  const firsts = listing.data.filter((s, i, all) => all.findIndex((x) => x.workshopId === s.workshopId) === i);
  return (
    <section aria-labelledby="upcoming-title">
      <h2 id="upcoming-title">{t('workshopAdmin.upcoming')}</h2>
      {firsts.length === 0 && <p class="muted">{t('workshop.none')}</p>}
      <ul class="list" data-testid="admin-workshops">
        {firsts.map((s) => (
          <li key={s.workshopId} class="item">
            <Link href={ROUTES.workshopEdit(slug, s.workshopId)}>{localized(s.title, locale)}</Link>
            <p class="muted">{t('workshopAdmin.nextSession', { when: sessionWhen(s, locale) })}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Workshops administration (desktop): venues and rooms, a new workshop, the town's upcoming ones. */
export function WorkshopAdminScreen({ slug }: { slug: string }) {
  const { t } = useI18n();
  const town = useTownAdmin(slug);
  return (
    <section class="card stack" aria-labelledby="workshop-admin-title">
      <h1 id="workshop-admin-title">{t('workshopAdmin.title')}</h1>
      {town.error != null && <Failure error={town.error} onRetry={town.reload} />}
      {!town.data && town.error == null && <Loading />}
      {town.data && (
        <>
          <UpcomingWorkshops slug={slug} />
          <NewWorkshopForm slug={slug} town={town.data} />
          <VenuesAdmin slug={slug} venues={town.data.venues} canWrite={town.data.isStaff} boundary={town.data.boundary} onChange={(venues) => town.set((d) => d && { ...d, venues })} />
        </>
      )}
    </section>
  );
}
