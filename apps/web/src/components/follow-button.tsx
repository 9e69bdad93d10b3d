import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { describeError } from '../api/errors';
import { useSession } from '../api/use-session';
import { useI18n } from '../i18n';
import { useAsync } from './async';
import type { SubjectCollection } from './subject-comments';

/** Follow or stop following any subject (engagement's follows); nothing for anonymous visitors. */
export function FollowButton({ collection, id }: { collection: SubjectCollection; id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const path = { params: { path: { collection, id } } };
  const following = useAsync(async () => (session ? unwrap(await api.GET('/api/v1/{collection}/{id}/follow', path)).following : null), [collection, id, session?.accessToken]);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    try {
      if (following.data) unwrap(await api.DELETE('/api/v1/{collection}/{id}/follow', path));
      else unwrap(await api.PUT('/api/v1/{collection}/{id}/follow', path));
      following.set((value) => !value);
      setError(null);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  if (following.data == null) return null;
  return (
    <>
      <button type="button" aria-pressed={following.data} onClick={() => void toggle()}>
        {following.data ? t('subject.unfollow') : t('subject.follow')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </>
  );
}
