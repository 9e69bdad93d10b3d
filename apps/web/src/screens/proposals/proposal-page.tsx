import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { type Proposal, type SupportResult, takesSupports, topicName } from './proposal-types';
import { SafeHtml } from './safe-html';

/** Support, or take the support back; the count shown is the one the API answers. */
function SupportButton({ proposal, onChange }: { proposal: Proposal; onChange(result: SupportResult): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const params = { params: { path: { id: proposal.id } } };
      const result = proposal.supportedByMe ? await api.DELETE('/api/v1/proposals/{id}/support', params) : await api.POST('/api/v1/proposals/{id}/support', params);
      onChange(unwrap(result) as unknown as SupportResult);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" disabled={busy} aria-pressed={proposal.supportedByMe} onClick={() => void toggle()}>
        {proposal.supportedByMe ? t('proposal.unsupport') : t('proposal.support')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </>
  );
}

/** Publishing a draft: its author's last step (the API may hold it for review). */
function PublishButton({ proposal, onDone }: { proposal: Proposal; onDone(p: Proposal): void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  async function publish() {
    setError(null);
    try {
      onDone(unwrap(await api.POST('/api/v1/proposals/{id}/publish', { params: { path: { id: proposal.id } } })) as unknown as Proposal);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  }
  return (
    <>
      <button type="button" onClick={() => void publish()}>
        {t('proposal.publish')}
      </button>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </>
  );
}

/** A proposal: its text (the API's sanitized HTML), state, topic, supports; support it when signed in. */
export function ProposalPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const proposal = useAsync(async () => unwrap(await api.GET('/api/v1/proposals/{id}', { params: { path: { id } } })) as unknown as Proposal, [id, !!session]);
  // Authors cannot support their own proposal: the page asks who the viewer is.
  const me = useAsync(async () => (session ? unwrap(await api.GET('/api/v1/me')).id : null), [!!session]);
  const [notice, setNotice] = useState<string | null>(null);

  if (proposal.error) return <Failure error={proposal.error} onRetry={proposal.reload} />;
  if (!proposal.data || me.loading) return <Loading />;
  const p = proposal.data;
  const mine = !!me.data && (p.author?.id === me.data || p.coauthors.some((c) => c.id === me.data));
  return (
    <article class="card stack" aria-labelledby="proposal-title">
      <h1 id="proposal-title">{p.title}</h1>
      <p>
        <span class="badge" data-testid="proposal-status">
          {p.awaitingReview ? t('proposal.awaitingReview') : t(`proposal.status.${p.status}`)}
        </span>
        {p.topic && <> · {topicName(p.topic, locale)}</>}
      </p>
      {p.author && <p class="muted">{t('proposal.by', { name: p.author.displayName })}</p>}
      <SafeHtml html={p.bodyHtml} class="prose" testId="proposal-body" />
      <p data-testid="support-count" aria-live="polite">
        {t('proposal.supports', { count: p.supportCount })}
      </p>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {p.status === 'draft' && mine && (
        <PublishButton
          proposal={p}
          onDone={(published) => {
            proposal.set(() => published);
            setNotice(published.awaitingReview ? t('proposal.heldNotice') : t('proposal.publishedNotice'));
          }}
        />
      )}
      {takesSupports(p) &&
        (session ? (
          mine ? (
            <p class="muted">{t('proposal.ownNoSupport')}</p>
          ) : (
            <SupportButton proposal={p} onChange={(r) => proposal.set((shown) => shown && { ...shown, supportCount: r.supportCount, supportedByMe: r.supportedByMe, status: r.status })} />
          )
        ) : (
          <Link href={ROUTES.signIn}>{t('proposal.signInToSupport')}</Link>
        ))}
      {p.answer && (
        <section aria-labelledby="answer-title">
          <h2 id="answer-title">{t('proposal.answer')}</h2>
          <SafeHtml html={p.answer.bodyHtml} class="prose" />
        </section>
      )}
      <Link href={ROUTES.proposals}>{t('proposal.back')}</Link>
    </article>
  );
}
