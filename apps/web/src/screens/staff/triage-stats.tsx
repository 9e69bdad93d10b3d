import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { BarChart } from '../../components/bar-chart';
import { Link } from '../../components/link';
import { type MessageKey, useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { onReconnect, subscribe } from '../../realtime/socket';

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** A period of whole days, [from, to) in UTC, as the date inputs show it. */
function range(from: string, to: string): { from: string; to: string } {
  return { from: new Date(`${from}T00:00:00Z`).toISOString(), to: new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY).toISOString() };
}

function duration(seconds: number | null, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  if (seconds === null) return '—';
  const hours = seconds / 3600;
  return hours >= 48 ? t('stats.days', { days: (hours / 24).toFixed(1) }) : t('stats.hours', { hours: hours.toFixed(1) });
}

/** The CSV export through the typed client (it carries the session), saved as a file. */
async function downloadCsv(slug: string, period: { from: string; to: string }, name: string): Promise<void> {
  const text = unwrap(await api.GET('/api/v1/municipalities/{slug}/reports/export.csv', { params: { path: { slug }, query: period }, parseAs: 'text' })) as unknown as string;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Events of a burst (a bulk change, a merge) read the figures again once, this long after the last. */
const LIVE_REFRESH_MS = 400;

/**
 * Live figures: the board's own topic (`municipality:{slug}:triage`: every report filed, triaged,
 * merged or closed) tells that the counts moved; the period's figures are then read again from
 * the API, which stays the one place they are computed. Only while the period reaches today.
 */
function useLiveRefresh(slug: string, periodIncludesToday: boolean, refresh: () => void): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!periodIncludesToday) {
      setLive(false);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe(
      `municipality:${slug}:triage`,
      () => {
        clearTimeout(timer);
        timer = setTimeout(refresh, LIVE_REFRESH_MS);
      },
      setLive,
    );
    const stopReconnect = onReconnect(refresh);
    return () => {
      clearTimeout(timer);
      unsubscribe();
      stopReconnect();
    };
  }, [slug, periodIncludesToday]);
  return live;
}

/** The board's statistics for a period: counts and medians, charts by status, category, channel and kind; the CSV export. */
export function TriageStatsScreen({ slug }: { slug: string }) {
  const { t, locale } = useI18n();
  const [from, setFrom] = useState(day(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(day(new Date()));
  const [exportError, setExportError] = useState<string | null>(null);
  const categories = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/categories', { params: { path: { slug } } })), [slug]);
  const stats = useAsync(
    async () => ({ ...unwrap(await api.GET('/api/v1/municipalities/{slug}/reports/stats', { params: { path: { slug }, query: range(from, to) } })), readAt: new Date() }),
    [slug, from, to],
  );
  const live = useLiveRefresh(slug, to >= day(new Date()), stats.reload);

  if (stats.error instanceof ApiError && (stats.error.status === 401 || stats.error.status === 403)) {
    return (
      <p role="alert" class="notice notice-error">
        {t('triage.forbidden')}
      </p>
    );
  }
  const categoryName = (code: string) => {
    const c = categories.data?.find((x) => x.code === code);
    return c ? (c.name[locale] ?? c.name.fr ?? code) : code;
  };
  const rowsOf = (counts: Record<string, number>, label: (key: string) => string) =>
    Object.entries(counts)
      .map(([key, value]) => ({ label: label(key), value }))
      .sort((a, b) => b.value - a.value);
  const s = stats.data;
  return (
    <section class="card" aria-labelledby="stats-title">
      <h1 id="stats-title">
        {t('stats.title')}{' '}
        {live && (
          <span class="badge live" data-testid="live">
            {t('triage.live')}
          </span>
        )}
      </h1>
      <p>
        <Link href={ROUTES.triage(slug)}>{t('stats.back')}</Link>
      </p>
      <form class="filters-inline" onSubmit={(e) => e.preventDefault()} aria-label={t('stats.period')}>
        <label>
          {t('stats.from')}
          <input type="date" value={from} max={to} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value || from)} />
        </label>
        <label>
          {t('stats.to')}
          <input type="date" value={to} min={from} onChange={(e) => setTo((e.currentTarget as HTMLInputElement).value || to)} />
        </label>
        <button
          type="button"
          onClick={() => {
            setExportError(null);
            downloadCsv(slug, range(from, to), `reports-${slug}-${from}-${to}.csv`).catch((failure: unknown) => setExportError(describeError(failure, t)));
          }}
        >
          {t('stats.csv')}
        </button>
      </form>
      {exportError && (
        <p role="alert" class="notice notice-error">
          {exportError}
        </p>
      )}
      {stats.loading && !s && <Loading />}
      {stats.error != null && <Failure error={stats.error} onRetry={stats.reload} />}
      {s && (
        <>
          <p class="muted" data-testid="stats-read-at">
            {t('stats.readAt', { time: s.readAt.toLocaleTimeString(locale === 'fr' ? 'fr-FR' : 'en-GB') })}
          </p>
          <dl class="figures" data-testid="stats-figures">
            <div>
              <dt>{t('stats.total')}</dt>
              <dd>{s.total}</dd>
            </div>
            <div>
              <dt>{t('stats.acknowledged')}</dt>
              <dd>{s.acknowledgedCount}</dd>
            </div>
            <div>
              <dt>{t('stats.resolved')}</dt>
              <dd>{s.resolvedCount}</dd>
            </div>
            <div>
              <dt>{t('stats.medianAck')}</dt>
              <dd>{duration(s.medianSecondsToAcknowledge, t)}</dd>
            </div>
            <div>
              <dt>{t('stats.medianResolve')}</dt>
              <dd>{duration(s.medianSecondsToResolve, t)}</dd>
            </div>
          </dl>
          <div class="charts">
            <BarChart testId="chart-status" title={t('stats.byStatus')} rows={rowsOf(s.byStatus, (k) => t(`status.${k}` as MessageKey))} />
            <BarChart testId="chart-category" title={t('stats.byCategory')} rows={rowsOf(s.byCategory, categoryName)} />
            <BarChart testId="chart-channel" title={t('stats.byChannel')} rows={rowsOf(s.byChannel, (k) => t(`stats.channel.${k}` as MessageKey))} />
            <BarChart testId="chart-kind" title={t('stats.byKind')} rows={rowsOf(s.byKind, (k) => t(`report.kind.${k}` as MessageKey))} />
          </div>
        </>
      )}
    </section>
  );
}
