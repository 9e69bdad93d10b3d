import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError, type Report, unwrap } from '../../api/client';
import { currentUserId } from '../../api/session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { keepNewest, newer, StatusBadge } from '../../components/report-status';
import { useI18n } from '../../i18n';
import { pendingReports } from '../../offline/pending-reports';
import type { PendingReport } from '../../offline/report-queue';
import { onReconnect, subscribe } from '../../realtime/socket';
import { ROUTES } from '../../router';

/** The person's reports, live (their own topic `user:{id}`), and those still on this device. */
export function MyReportsScreen() {
  const { t, locale } = useI18n();
  const reports = useAsync(async () => unwrap(await api.GET('/api/v1/me/reports', { params: { query: { limit: 50 } } })).items, [], keepNewest);
  const [pending, setPending] = useState<PendingReport[]>([]);

  useEffect(() => {
    const refresh = () => void pendingReports.list().then(setPending);
    refresh();
    const stop = pendingReports.onChange(() => {
      refresh();
      // A report that just left the queue is now on the server.
      reports.reload();
    });
    return stop;
  }, []);

  useEffect(() => onReconnect(reports.reload), []);

  useEffect(() => {
    const userId = currentUserId();
    if (!userId) return;
    return subscribe(`user:${userId}`, (event) => {
      const incoming = (event.data as { report?: Report } | null)?.report;
      if (!incoming || !event.type.startsWith('report.')) return;
      reports.set((list) => {
        if (!list) return list;
        const index = list.findIndex((r) => r.id === incoming.id);
        if (index < 0) return [incoming, ...list];
        const next = list.slice();
        next[index] = newer(list[index], incoming);
        return next;
      });
    });
  }, []);

  const waiting = pending.filter((p) => !p.failure);
  const refused = pending.filter((p) => p.failure);

  return (
    <section class="card" aria-labelledby="mine-title">
      <h1 id="mine-title">{t('mine.title')}</h1>
      {pending.length > 0 && (
        <>
          <h2>{t('mine.pending')}</h2>
          <ul class="list" data-testid="pending-reports">
            {waiting.map((p) => (
              <li key={p.key} class="item">
                <span class="badge waiting">{p.reportId ? t('report.sending') : t('report.waiting')}</span> {String(p.body.description)}
              </li>
            ))}
            {refused.map((p) => (
              <li key={p.key} class="item">
                <span class="badge status-rejected">{t('report.failed', { reason: p.failure ?? '' })}</span> {String(p.body.description)}{' '}
                <button type="button" onClick={() => void pendingReports.remove(p.key)}>
                  {t('report.discard')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {reports.loading && !reports.data && <Loading />}
      {/* Offline, the banner says so and the waiting reports show: no error on top of it. */}
      {reports.error != null && !(reports.error instanceof NetworkError) && <Failure error={reports.error} onRetry={reports.reload} />}
      {reports.data?.length === 0 && pending.length === 0 && <p>{t('mine.empty')}</p>}
      <ul class="list" data-testid="my-reports">
        {reports.data?.map((report) => (
          <li key={report.id} class="item" data-report-id={report.id}>
            <Link href={ROUTES.report(report.id)}>
              <strong>{report.category.name[locale] ?? report.category.code}</strong> — {report.description}
            </Link>{' '}
            <StatusBadge status={report.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
