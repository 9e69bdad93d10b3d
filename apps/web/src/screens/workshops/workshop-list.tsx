import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { useSession } from '../../api/use-session';
import { localized, sessionWhen } from './workshop-format';

/** The chosen town's upcoming sessions, soonest first (the API's public listing). */
export function WorkshopListScreen() {
  const { t, locale } = useI18n();
  const town = useTown();
  const session = useSession();
  const sessions = useAsync(
    async () => (town ? unwrap(await api.GET('/api/v1/municipalities/{slug}/workshops', { params: { path: { slug: town.slug }, query: { limit: 50 } } })).items : []),
    [town?.slug],
  );
  return (
    <section class="card" aria-labelledby="workshops-title">
      <h1 id="workshops-title">{t('workshop.listTitle')}</h1>
      {session && (
        <p>
          <Link href={ROUTES.myWorkshops}>{t('workshop.mine.link')}</Link>
        </p>
      )}
      {!town && <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>}
      {sessions.loading && !sessions.data && <Loading />}
      {sessions.error != null && <Failure error={sessions.error} onRetry={sessions.reload} />}
      {town && sessions.data?.length === 0 && <p>{t('workshop.none')}</p>}
      <ul class="list" data-testid="workshop-sessions">
        {sessions.data?.map((s) => (
          <li key={s.id} class="item">
            <Link href={ROUTES.workshop(s.workshopId)}>{localized(s.title, locale)}</Link>{' '}
            <span class="badge">{t(`workshop.format.${s.format}`)}</span>
            <p>{sessionWhen(s, locale)}</p>
            <p class="muted">
              {s.venueName ?? t('workshop.noVenue')} · {s.seatsLeft > 0 ? t('workshop.seatsLeft', { count: s.seatsLeft }) : t('workshop.full')}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
