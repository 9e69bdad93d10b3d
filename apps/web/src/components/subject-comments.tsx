import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { describeError } from '../api/errors';
import { useSession } from '../api/use-session';
import { useI18n } from '../i18n';
import { useAsync } from './async';

/** A subject's collection in the API's `/{collection}/{id}/…` routes (engagement, media). */
export type SubjectCollection = 'reports' | 'proposals';

/**
 * The comments of any subject engagement knows (a report, a proposal): the thread, and a form to
 * add one when signed in. A comment held by pre-moderation shows to its author as "awaiting review".
 */
export function SubjectComments({ collection, id }: { collection: SubjectCollection; id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const path = { params: { path: { collection, id } } };
  const comments = useAsync(async () => unwrap(await api.GET('/api/v1/{collection}/{id}/comments', path)).items, [collection, id, session?.accessToken]);
  const [error, setError] = useState<string | null>(null);

  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = String(new FormData(form).get('body'));
    try {
      const comment = unwrap(await api.POST('/api/v1/{collection}/{id}/comments', { ...path, body: { body } }));
      comments.set((list) => [...(list ?? []), comment]);
      form.reset();
      setError(null);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  return (
    <section aria-labelledby={`comments-${id}`}>
      <h2 id={`comments-${id}`}>{t('subject.comments')}</h2>
      {comments.data?.length === 0 && <p class="muted">{t('subject.comment.none')}</p>}
      <ul class="list" data-testid="comments">
        {comments.data?.map((c) => (
          <li key={c.id} class="item">
            <strong>{c.author?.displayName ?? '—'}</strong> {c.body}
            {c.awaitingReview && (
              <>
                {' '}
                <span class="badge" data-testid="awaiting-review">
                  {t('subject.comment.awaitingReview')}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {session && (
        <form onSubmit={add} class="stack">
          <label>
            {t('subject.comment.label')}
            <textarea name="body" required maxLength={2000} rows={2} />
          </label>
          {error && (
            <p role="alert" class="notice notice-error">
              {error}
            </p>
          )}
          <button type="submit">{t('subject.comment.submit')}</button>
        </form>
      )}
    </section>
  );
}
