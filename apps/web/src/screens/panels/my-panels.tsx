import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import type { MyPanel } from './panel-types';

/** Where the person stands on one panel: their seat's state, else their place in the pool. */
function Standing({ item }: { item: MyPanel }) {
  const { t, locale } = useI18n();
  const day = (iso: string) => new Date(iso).toLocaleDateString(locale);
  if (item.seat) {
    return (
      <p>
        <span class="badge">{t(`member.status.${item.seat.status}`)}</span>{' '}
        {item.seat.status === 'selected' && t('myPanels.respondBy', { date: day(item.seat.respondBy) })}
        {item.seat.status === 'active' && item.seat.activatedAt && t('myPanels.activeSince', { date: day(item.seat.activatedAt) })}
      </p>
    );
  }
  if (!item.volunteeredAt) return null;
  return <p>{item.panelStatus === 'drawn' ? t('myPanels.notDrawn', { date: day(item.volunteeredAt) }) : t('myPanels.inPool', { date: day(item.volunteeredAt) })}</p>;
}

/** "My panels": the panels I volunteered for or was drawn for, with my seat's state; each opens on its page (the seat is there). */
export function MyPanelsScreen() {
  const { t } = useI18n();
  const mine = useAsync(async () => unwrap(await api.GET('/api/v1/me/panels')).items, []);
  return (
    <section class="card" aria-labelledby="my-panels-title">
      <h1 id="my-panels-title">{t('myPanels.title')}</h1>
      {mine.loading && !mine.data && <Loading />}
      {mine.error != null && <Failure error={mine.error} onRetry={mine.reload} />}
      {mine.data?.length === 0 && (
        <p>
          {t('myPanels.none')} <Link href={ROUTES.panels}>{t('myPanels.browse')}</Link>
        </p>
      )}
      <ul class="list" data-testid="my-panels">
        {mine.data?.map((item) => (
          <li key={item.panelId} class="item">
            <Link href={ROUTES.panel(item.panelId)}>{item.name}</Link> <span class="muted">{t(`panel.status.${item.panelStatus}`)}</span>
            <Standing item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}
