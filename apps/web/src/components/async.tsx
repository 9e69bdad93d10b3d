import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import { useI18n } from '../i18n';

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
  set(update: (current: T | null) => T | null): void;
}

/**
 * Loads `load()` when `deps` change; screens keep their own state near where it is used.
 * `merge` combines a fresh answer with what is shown (e.g. a live copy newer than the answer,
 * which may have left the server before that live event).
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[], merge?: (shown: T | null, fresh: T) => T): AsyncState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => current && (setData((shown) => (merge ? merge(shown, value) : value)), setError(null), setLoading(false)),
      (failure: unknown) => current && (setError(failure), setLoading(false)),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, error, loading, reload: () => setRound((r) => r + 1), set: (update) => setData((d) => update(d)) };
}

export function Failure({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" class="notice notice-error">
      <p>{t('common.error', { message: describeError(error, t) })}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}
