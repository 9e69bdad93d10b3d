import { useEffect, useState } from 'preact/hooks';
import { api, type Report, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { FollowButton } from '../../components/follow-button';
import { MapPicker } from '../../components/map-picker';
import { PhotoList } from '../../components/photo-list';
import { newer, StatusBadge, withViewerFields } from '../../components/report-status';
import { SubjectComments } from '../../components/subject-comments';
import { Timeline } from '../../components/timeline';
import { useI18n } from '../../i18n';
import { subscribe } from '../../realtime/socket';

/** A report with its timeline and comments, following `report:{id}` live. */
export function ReportPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const report = useAsync(async () => unwrap(await api.GET('/api/v1/reports/{id}', { params: { path: { id } } })), [id]);
  const timeline = useAsync(async () => unwrap(await api.GET('/api/v1/reports/{id}/timeline', { params: { path: { id } } })), [id]);

  const toggleSupport = async () => {
    const path = { params: { path: { id } } };
    const updated = unwrap(await (report.data?.supportedByMe ? api.DELETE('/api/v1/reports/{id}/support', path) : api.POST('/api/v1/reports/{id}/support', path)));
    report.set((current) => (current ? newer(current, updated) : updated));
  };
  const [actionError, setActionError] = useState<string | null>(null);
  const withdraw = async () => {
    try {
      const updated = unwrap(await api.POST('/api/v1/reports/{id}/withdraw', { params: { path: { id } }, body: {} }));
      report.set(() => updated);
      timeline.reload();
    } catch (error) {
      setActionError(describeError(error, t));
    }
  };

  useEffect(
    () =>
      subscribe(`report:${id}`, (event) => {
        const incoming = (event.data as { report?: Report } | null)?.report;
        if (incoming) report.set((current) => (current ? withViewerFields(current, incoming) : incoming));
        timeline.reload();
      }),
    [id],
  );

  if (report.loading && !report.data) return <Loading />;
  if (report.error != null || !report.data) return <Failure error={report.error} onRetry={report.reload} />;
  const r = report.data;

  return (
    <article class="card" aria-labelledby="report-title">
      <h1 id="report-title">
        {t('report.page.title', { number: r.number })} <StatusBadge status={r.status} />
      </h1>
      <p>
        <strong>{r.category.name[locale] ?? r.category.code}</strong> — {r.description}
      </p>
      <p class="muted">
        {t('report.createdAt', { date: new Date(r.createdAt).toLocaleDateString(locale) })} {t('report.by', { name: r.reporterName ?? t('report.anonymousReporter') })} ·{' '}
        {t('report.supports', { count: r.supportCount })}
      </p>
      {session && (
        <div class="actions">
          {!r.isMine && (
            <button type="button" aria-pressed={r.supportedByMe} onClick={() => void toggleSupport()}>
              {r.supportedByMe ? t('report.unsupport') : t('report.support')}
            </button>
          )}
          {r.isMine && r.status === 'new' && (
            <button type="button" onClick={() => void withdraw()}>
              {t('report.withdraw')}
            </button>
          )}
          <FollowButton collection="reports" id={id} />
        </div>
      )}
      {actionError && (
        <p role="alert" class="notice notice-error">
          {actionError}
        </p>
      )}
      <PhotoList photos={r.photos} alt={(n) => t('report.photoAlt', { n })} />
      <MapPicker value={r.location} label={t('report.location')} />
      <h2>{t('report.timeline')}</h2>
      {timeline.data && <Timeline entries={timeline.data} />}
      <SubjectComments collection="reports" id={id} />
    </article>
  );
}
