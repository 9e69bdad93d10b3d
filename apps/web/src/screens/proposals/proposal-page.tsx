import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { FollowButton } from '../../components/follow-button';
import { Link } from '../../components/link';
import { MapPicker } from '../../components/map-picker';
import { SubjectComments } from '../../components/subject-comments';
import { useI18n } from '../../i18n';
import { onReconnect, subscribe } from '../../realtime/socket';
import { ROUTES } from '../../router';
import { PublishButton, SupportButton, WithdrawForm } from './proposal-actions';
import { Coauthors, InvitationAnswer } from './proposal-coauthors';
import { ProposalMedia } from './proposal-media';
import { editable, isPublic, type Proposal, takesSupports, topicName, withdrawable } from './proposal-types';
import { SafeHtml } from './safe-html';

/** What `proposal:{id}` carries: the public view, or null once it left public view. */
interface ProposalLive {
  proposalId: string;
  proposal: Proposal | null;
}

/**
 * A proposal: its text (the API's sanitized HTML), state, topic, place, supports, the town's
 * answer; its authors edit, publish and withdraw it and invite co-authors; comments, follow,
 * photos and documents. Support count, state and answer follow `proposal:{id}` live.
 */
export function ProposalPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const proposal = useAsync(async () => unwrap(await api.GET('/api/v1/proposals/{id}', { params: { path: { id } } })), [id, !!session]);
  // Authors cannot support their own proposal: the page asks who the viewer is.
  const me = useAsync(async () => (session ? unwrap(await api.GET('/api/v1/me')).id : null), [!!session]);
  const [notice, setNotice] = useState<string | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const stop = subscribe(
      `proposal:${id}`,
      (event) => {
        const incoming = (event.data as ProposalLive | null)?.proposal;
        // The live copy is the public view: the viewer's own support stays as this page knows it.
        if (incoming) proposal.set((shown) => ({ ...incoming, supportedByMe: shown?.supportedByMe ?? false }));
        else proposal.reload();
      },
      setLive,
    );
    // Events missed while away are not replayed: read the proposal again.
    const stopReconnect = onReconnect(proposal.reload);
    return () => {
      stop();
      stopReconnect();
    };
  }, [id]);

  if (proposal.error) return <Failure error={proposal.error} onRetry={proposal.reload} />;
  if (!proposal.data || me.loading) return <Loading />;
  const p = proposal.data;
  const isAuthor = !!me.data && p.author?.id === me.data;
  const mine = isAuthor || (!!me.data && p.coauthors.some((c) => c.id === me.data));
  return (
    <article class="card stack" aria-labelledby="proposal-title">
      <h1 id="proposal-title">{p.title}</h1>
      <p>
        <span class="badge" data-testid="proposal-status">
          {p.awaitingReview ? t('proposal.awaitingReview') : t(`proposal.status.${p.status}`)}
        </span>
        {p.topic && <> · {topicName(p.topic, locale)}</>}
      </p>
      {p.author && <p class="muted">{t('proposal.by', { name: [p.author, ...p.coauthors].map((a) => a.displayName).join(', ') })}</p>}
      {p.status === 'withdrawn' && p.withdrawnReason && (
        <p class="notice" data-testid="withdrawn-reason">
          {t('proposal.withdrawn', { reason: p.withdrawnReason })}
        </p>
      )}
      {session && !isAuthor && <InvitationAnswer proposalId={p.id} onAnswered={(accepted) => accepted && proposal.reload()} />}
      <SafeHtml html={p.bodyHtml} class="prose" testId="proposal-body" />
      <p data-testid="support-count" aria-live="polite">
        {t('proposal.supports', { count: p.supportCount })}
        {live && (
          <span class="muted" data-testid="live">
            {' '}
            · {t('proposal.live')}
          </span>
        )}
      </p>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <div class="actions">
        {p.status === 'draft' && mine && (
          <PublishButton
            proposal={p}
            onDone={(published) => {
              proposal.set(() => published);
              setNotice(published.awaitingReview ? t('proposal.heldNotice') : t('proposal.publishedNotice'));
            }}
          />
        )}
        {isAuthor && editable(p) && <Link href={ROUTES.editProposal(p.id)}>{t('proposal.edit')}</Link>}
        {session && <FollowButton collection="proposals" id={p.id} />}
      </div>
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
          <SafeHtml html={p.answer.bodyHtml} class="prose" testId="proposal-answer" />
        </section>
      )}
      {p.location && (
        <section aria-labelledby="location-title">
          <h2 id="location-title">{t('proposal.location')}</h2>
          <MapPicker value={p.location} label={t('proposal.location')} />
        </section>
      )}
      <Coauthors proposal={p} isAuthor={isAuthor} />
      <ProposalMedia proposalId={p.id} mayAdd={isAuthor && p.status !== 'withdrawn'} isPublic={isPublic(p)} />
      <SubjectComments collection="proposals" id={p.id} />
      {isAuthor && withdrawable(p) && (
        <WithdrawForm
          proposal={p}
          onDone={(withdrawn) => {
            proposal.set(() => withdrawn);
            setNotice(null);
          }}
        />
      )}
      <Link href={ROUTES.proposals}>{t('proposal.back')}</Link>
    </article>
  );
}
