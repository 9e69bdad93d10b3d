import { useI18n } from '../../i18n';
import { BoardTimer, IdeaDots, IdeasByCluster, PollResults } from './board-parts';
import { useBoard } from './use-board';

/**
 * The room's screen: the board read-only, large, by the secret link the facilitator made
 * (`/sessions/:id/projector#key` — the key stays in the fragment, out of requests and logs). No
 * sign-in: the key is the permission, and a new link revokes this one.
 */
export function ProjectorBoardScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const key = location.hash.replace(/^#/, '');
  const { board, live, refusal, offset } = useBoard(id, `workshop-session:${id}:projector:${key}`);
  if (refusal || !key) {
    return (
      <section class="card" aria-labelledby="board-title">
        <h1 id="board-title">{t('board.projector.title')}</h1>
        <p role="alert" class="notice notice-error" data-testid="board-refused">
          {/* Refused subscriptions and syncs both come down to the link: say that. */}
          {t('error.BOARD_PROJECTOR_KEY_INVALID')}
        </p>
      </section>
    );
  }
  return (
    <section class="card stack projector" aria-labelledby="board-title">
      <h1 id="board-title">{t('board.title')}</h1>
      <p role="status">
        {live && <span class="badge live" data-testid="board-live">{t('board.live')}</span>}{' '}
        {board && <span data-testid="board-phase">{t(`board.phase.${board.phase}`)}</span>}
        {board?.closed && <> · {t('board.closed')}</>}
      </p>
      {!board ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <BoardTimer timer={board.timer} offset={offset} large />
          {(board.phase === 'vote' || board.phase === 'results') && <p data-testid="dots-cast">{t('board.vote.cast', { count: board.dotsCast })}</p>}
          <IdeasByCluster
            board={board}
            renderIdea={(idea) => (
              <>
                <span class="board-idea-text">{idea.text}</span>
                <IdeaDots idea={idea} />
              </>
            )}
          />
          {board.polls
            .filter((p, i, all) => p.status === 'open' || i === all.length - 1)
            .map((poll) => (
              <PollResults key={poll.id} poll={poll} />
            ))}
        </>
      )}
    </section>
  );
}
