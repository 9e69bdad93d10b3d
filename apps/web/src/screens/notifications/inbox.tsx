import { useEffect } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { Failure, Loading, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { type InboxItem, onNotification, refreshUnread } from '../../notifications/unread';
import { notificationRoute } from '../../notifications/notification-route';
import { navigate } from '../../router';

/** The notification inbox: newest first, live; opening one marks it read. */
export function InboxScreen() {
  const { t, locale } = useI18n();
  const inbox = useAsync(async () => unwrap(await api.GET('/api/v1/me/notifications', { params: { query: { limit: 50 } } })).items, []);
  useEffect(() => onNotification((item) => inbox.set((list) => (list && !list.some((n) => n.id === item.id) ? [item, ...list] : list))), []);

  const open = async (item: InboxItem) => {
    if (!item.readAt) {
      await api.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id: item.id } } }).catch(() => undefined);
      void refreshUnread();
    }
    const route = notificationRoute(item);
    if (route) navigate(route);
  };

  const readAll = async () => {
    unwrap(await api.POST('/api/v1/me/notifications/read-all'));
    const now = new Date().toISOString();
    inbox.set((list) => list?.map((n) => ({ ...n, readAt: n.readAt ?? now })) ?? list);
    void refreshUnread();
  };

  return (
    <section class="card" aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      {inbox.data?.some((n) => !n.readAt) && (
        <button type="button" onClick={() => void readAll()}>
          {t('inbox.readAll')}
        </button>
      )}
      {inbox.loading && !inbox.data && <Loading />}
      {inbox.error != null && <Failure error={inbox.error} onRetry={inbox.reload} />}
      {inbox.data?.length === 0 && <p>{t('inbox.empty')}</p>}
      <ul class="list inbox" data-testid="inbox">
        {inbox.data?.map((item) => (
          <li key={item.id} class={`item${item.readAt ? '' : ' unread'}`}>
            <button type="button" class="row" onClick={() => void open(item)}>
              <span class="row-main">
                {!item.readAt && <span class="badge fresh">{t('inbox.unread')}</span>} <strong>{item.title}</strong>
                <br />
                {item.body}
              </span>
              <time dateTime={item.createdAt} class="muted">
                {new Date(item.createdAt).toLocaleString(locale)}
              </time>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
