import { useEffect, useState } from 'preact/hooks';
import { api, type Report, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { MapPicker } from '../../components/map-picker';
import { newer, StatusBadge, withViewerFields } from '../../components/report-status';
import { Timeline } from '../../components/timeline';
import { useI18n } from '../../i18n';
import { subscribe } from '../../realtime/socket';

/** Photo URLs are absolute on PUBLIC_URL; the app is served by that same API, so take the path. */
function onThisOrigin(url: string): string {
  const parsed = new URL(url, location.origin);
  return parsed.pathname + parsed.search;
}

/** A report with its timeline and comments, following `report:{id}` live. */
export function ReportPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const report = useAsync(async () => unwrap(await api.GET('/api/v1/reports/{id}', { params: { path: { id } } })), [id]);
  const timeline = useAsync(async () => unwrap(await api.GET('/api/v1/reports/{id}/timeline', { params: { path: { id } } })), [id]);
  const comments = useAsync(
    async () => unwrap(await api.GET('/api/v1/{collection}/{id}/comments', { params: { path: { collection: 'reports', id } } })).items,
    [id],
  );
  const [commentError, setCommentError] = useState<string | null>(null);
  const following = useAsync(
    async () => (session ? unwrap(await api.GET('/api/v1/{collection}/{id}/follow', { params: { path: { collection: 'reports', id } } })).following : false),
    [id, session?.accessToken],
  );

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
  const toggleFollow = async () => {
    const path = { params: { path: { collection: 'reports', id } } };
    if (following.data) await api.DELETE('/api/v1/{collection}/{id}/follow', path);
    else await api.PUT('/api/v1/{collection}/{id}/follow', path);
    following.set((value) => !value);
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

  const addComment = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = String(new FormData(form).get('body'));
    try {
      const comment = unwrap(await api.POST('/api/v1/{collection}/{id}/comments', { params: { path: { collection: 'reports', id } }, body: { body } }));
      comments.set((list) => [...(list ?? []), comment]);
      form.reset();
      setCommentError(null);
    } catch (error) {
      setCommentError(describeError(error, t));
    }
  };

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
          {following.data != null && (
            <button type="button" aria-pressed={following.data} onClick={() => void toggleFollow()}>
              {following.data ? t('report.unfollow') : t('report.follow')}
            </button>
          )}
        </div>
      )}
      {actionError && (
        <p role="alert" class="notice notice-error">
          {actionError}
        </p>
      )}
      {r.photos.length > 0 && (
        <>
          <h2>{t('report.photos')}</h2>
          <ul class="photos" data-testid="photos">
            {r.photos.map((photo, index) => (
              <li key={photo.id}>
                <a href={onThisOrigin(photo.url)}>
                  <img src={onThisOrigin(photo.thumbnailUrl)} alt={t('report.photoAlt', { n: index + 1 })} loading="lazy" width={160} height={120} />
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <MapPicker value={r.location} label={t('report.location')} />
      <h2>{t('report.timeline')}</h2>
      {timeline.data && <Timeline entries={timeline.data} />}
      <h2>{t('report.comments')}</h2>
      {comments.data?.length === 0 && <p class="muted">{t('report.comment.none')}</p>}
      <ul class="list">
        {comments.data?.map((c) => (
          <li key={c.id} class="item">
            <strong>{c.author?.displayName ?? '—'}</strong> {c.body}
            {c.awaitingReview && (
              <>
                {' '}
                <span class="badge" data-testid="awaiting-review">
                  {t('report.comment.awaitingReview')}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {session && (
        <form onSubmit={addComment} class="stack">
          <label>
            {t('report.comment.label')}
            <textarea name="body" required maxLength={2000} rows={2} />
          </label>
          {commentError && (
            <p role="alert" class="notice notice-error">
              {commentError}
            </p>
          )}
          <button type="submit">{t('report.comment.submit')}</button>
        </form>
      )}
    </article>
  );
}
