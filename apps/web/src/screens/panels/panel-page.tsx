import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { MySeat } from './my-seat';
import { labelOf, type Panel } from './panel-types';
import { VolunteerForm, VolunteerProfileView } from './volunteer-form';

/** The seats each feature value must fill: the quotas are public. */
export function QuotaTable({ panel }: { panel: Panel }) {
  const { t } = useI18n();
  return (
    <table class="quotas" data-testid="quotas">
      <caption>{t('panel.quotas', { size: panel.size })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('panel.quota.feature')}</th>
          <th scope="col">{t('panel.quota.value')}</th>
          <th scope="col">{t('panel.quota.seats')}</th>
        </tr>
      </thead>
      <tbody>
        {panel.features.flatMap((f) =>
          f.values.map((v) => (
            <tr key={`${f.code}/${v.code}`}>
              <td>{labelOf(f)}</td>
              <td>{labelOf(v)}</td>
              <td>{v.min === v.max ? v.min : t('panel.quota.range', { min: v.min, max: v.max })}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/** Am I in the pool? A 404 means not (yet). */
function useMyProfile(panelId: string, signedIn: boolean) {
  return useAsync(async () => {
    if (!signedIn) return null;
    try {
      return unwrap(await api.GET('/api/v1/panels/{id}/volunteers/me', { params: { path: { id: panelId } } }));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'VOLUNTEER_NOT_FOUND') return null;
      throw failure;
    }
  }, [panelId, signedIn]);
}

/** A panel: its purpose, size and quotas; volunteering while it recruits; my profile and its withdrawal. */
export function PanelPage({ id }: { id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const panel = useAsync(async () => unwrap(await api.GET('/api/v1/panels/{id}', { params: { path: { id } } })), [id]);
  const mine = useMyProfile(id, !!session);
  const [notice, setNotice] = useState<string | null>(null);

  if (panel.error) return <Failure error={panel.error} onRetry={panel.reload} />;
  if (!panel.data || mine.loading) return <Loading />;
  const p = panel.data;
  return (
    <section class="card stack" aria-labelledby="panel-title">
      <h1 id="panel-title">{p.name}</h1>
      <p>
        <span class="badge" data-testid="panel-status">
          {t(`panel.status.${p.status}`)}
        </span>{' '}
        {t('panel.size', { size: p.size, months: p.termMonths })}
      </p>
      {p.purpose && <p data-testid="panel-purpose">{p.purpose}</p>}
      {p.householdRule && <p class="muted">{t('panel.householdRule')}</p>}
      <QuotaTable panel={p} />
      {p.poolHash && (
        <p>
          {t('panel.poolHash')} <code class="hash">{p.poolHash}</code>
        </p>
      )}
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {session && p.status === 'drawn' && <MySeat panel={p} />}
      {mine.error != null && <Failure error={mine.error} onRetry={mine.reload} />}
      {mine.data ? (
        <VolunteerProfileView
          panel={p}
          profile={mine.data}
          onWithdrawn={() => {
            mine.set(() => null);
            setNotice(t('panel.profile.withdrawn'));
          }}
        />
      ) : p.status === 'recruiting' ? (
        session ? (
          <VolunteerForm
            panel={p}
            onDone={(profile) => {
              mine.set(() => profile);
              setNotice(t('panel.volunteer.done'));
            }}
          />
        ) : (
          <Link href={ROUTES.signIn}>{t('panel.signInToVolunteer')}</Link>
        )
      ) : (
        <p>{t('panel.recruitmentClosed')}</p>
      )}
      {session && (
        <p class="wide-only-block">
          <Link href={ROUTES.panelDraw(p.id)}>{t('panel.staffLink')}</Link>
        </p>
      )}
    </section>
  );
}

/** The chosen town's citizens' panels. */
export function PanelListScreen() {
  const { t } = useI18n();
  const town = useTown();
  const session = useSession();
  const panels = useAsync(
    async () => (town ? unwrap(await api.GET('/api/v1/municipalities/{slug}/panels', { params: { path: { slug: town.slug } } })).items : []),
    [town?.slug],
  );
  return (
    <section class="card" aria-labelledby="panels-title">
      <h1 id="panels-title">{t('panel.listTitle')}</h1>
      {!town && <Link href={ROUTES.town}>{t('nav.chooseTown')}</Link>}
      {session && (
        <p>
          <Link href={ROUTES.myPanels}>{t('myPanels.link')}</Link>
        </p>
      )}
      {town && session && (
        <p class="wide-only-block">
          <Link href={ROUTES.panelNew}>{t('panelEdit.newLink')}</Link>
        </p>
      )}
      {panels.loading && !panels.data && <Loading />}
      {panels.error != null && <Failure error={panels.error} onRetry={panels.reload} />}
      {town && panels.data?.length === 0 && <p>{t('panel.none')}</p>}
      <ul class="list" data-testid="panels">
        {panels.data?.map((p) => (
          <li key={p.id} class="item">
            <Link href={ROUTES.panel(p.id)}>{p.name}</Link> <span class="badge">{t(`panel.status.${p.status}`)}</span>
            <p class="muted">{t('panel.size', { size: p.size, months: p.termMonths })}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
