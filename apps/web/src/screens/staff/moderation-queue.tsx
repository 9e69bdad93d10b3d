import { useState } from 'preact/hooks';
import { api, ApiError, type Schemas, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { type MessageKey, useI18n } from '../../i18n';

type Item = Schemas['QueuedModerationItemDto'];
type Kind = '' | 'held' | 'flagged';

/** One item: what it says, why it is here, and the decision (a reject needs a reason for the author). */
function ModerationItem({ slug, item, onDecided }: { slug: string; item: Item; onDecided: (id: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `reason-${item.id}`;

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      const path = { slug, id: item.id };
      const body = reason.trim() ? { reason: reason.trim() } : {};
      if (decision === 'approve') unwrap(await api.POST('/api/v1/municipalities/{slug}/moderation/items/{id}/approve', { params: { path }, body }));
      else unwrap(await api.POST('/api/v1/municipalities/{slug}/moderation/items/{id}/reject', { params: { path }, body: { reason: reason.trim() } }));
      onDecided(item.id);
    } catch (failure) {
      setError(describeError(failure, t));
      setBusy(false);
    }
  };

  return (
    <li class="item" data-item-id={item.id}>
      <p>
        <span class="badge">{t(`moderation.kind.${item.kind}` as MessageKey)}</span>{' '}
        <span class="muted">{t(`moderation.reason.${item.reason}` as MessageKey)}</span>
        {item.matchedWords.length > 0 && <span class="muted"> — {item.matchedWords.join(', ')}</span>}
        {item.openFlags > 0 && <span class="muted"> — {t('moderation.flags', { count: item.openFlags })}</span>}
      </p>
      <blockquote>{item.preview ?? t('moderation.noPreview')}</blockquote>
      <p class="muted">{item.author?.displayName ?? t('moderation.noAuthor')}</p>
      <form class="stack" onSubmit={(e) => e.preventDefault()}>
        <label for={reasonId}>{t('moderation.reasonLabel')}</label>
        <textarea id={reasonId} rows={2} maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
        {error && (
          <p role="alert" class="notice notice-error">
            {error}
          </p>
        )}
        <div class="row-actions">
          <button type="button" disabled={busy} onClick={() => void decide('approve')}>
            {t('moderation.approve')}
          </button>{' '}
          <button type="button" disabled={busy || !reason.trim()} onClick={() => void decide('reject')}>
            {t('moderation.reject')}
          </button>
        </div>
      </form>
    </li>
  );
}

/** The town's moderation queue (staff): held and flagged content, oldest first. */
export function ModerationQueue({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('');
  const town = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug } } })), [slug]);
  const queue = useAsync(
    async () =>
      unwrap(
        await api.GET('/api/v1/municipalities/{slug}/moderation/queue', {
          params: { path: { slug }, query: { limit: 100, ...(kind ? { kind } : {}) } },
        }),
      ).items,
    [slug, kind],
  );

  if (queue.error instanceof ApiError && (queue.error.status === 403 || queue.error.status === 401)) {
    return (
      <p role="alert" class="notice notice-error">
        {t('moderation.forbidden')}
      </p>
    );
  }
  return (
    <section aria-labelledby="moderation-title">
      <h1 id="moderation-title">{t('moderation.title', { town: town.data?.name ?? slug })}</h1>
      <form class="filters" aria-label={t('triage.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('moderation.filter.kind')}
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind)}>
            <option value="">{t('triage.any')}</option>
            <option value="held">{t('moderation.kind.held')}</option>
            <option value="flagged">{t('moderation.kind.flagged')}</option>
          </select>
        </label>
      </form>
      {queue.loading && !queue.data && <Loading />}
      {queue.error != null && <Failure error={queue.error} onRetry={queue.reload} />}
      {queue.data?.length === 0 && <p data-testid="moderation-empty">{t('moderation.empty')}</p>}
      <ul class="list" data-testid="moderation-queue">
        {queue.data?.map((item) => (
          <ModerationItem key={item.id} slug={slug} item={item} onDecided={(id) => queue.set((list) => list?.filter((i) => i.id !== id) ?? list)} />
        ))}
      </ul>
    </section>
  );
}
