import type { TimelineEntry } from '../api/client';
import { type MessageKey, useI18n } from '../i18n';

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, locale } = useI18n();
  const status = (s: string | null) => (s ? t(`status.${s}` as MessageKey) : '—');
  return (
    <ol class="timeline" data-testid="timeline">
      {entries.map((entry) => (
        <li key={entry.id} class={entry.visibility === 'internal' ? 'internal' : undefined}>
          <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString(locale)}</time>{' '}
          <span>
            {entry.toStatus && entry.fromStatus
              ? t('timeline.status', { from: status(entry.fromStatus), to: status(entry.toStatus) })
              : entry.type === 'created'
                ? t('timeline.created')
                : entry.message
                  ? t('timeline.update')
                  : t('timeline.other', { type: entry.type })}
          </span>
          {entry.authorName && <span class="muted"> — {entry.authorName}</span>}
          {entry.message && <p>{entry.message}</p>}
        </li>
      ))}
    </ol>
  );
}
