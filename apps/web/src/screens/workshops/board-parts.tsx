import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { BoardPoll, BoardView, ClusterView, IdeaView } from './use-board';
import './live-board.css';

/** What the countdown shows now: running → until `endsAt` on the server's clock; paused → what was left. */
export function remainingMs(timer: BoardView['timer'], offset: number, now = Date.now()): number | null {
  if (timer.status === 'running' && timer.endsAt) return Math.max(0, Date.parse(timer.endsAt) - (now + offset));
  if (timer.status === 'paused') return timer.remainingMs ?? 0;
  return null;
}

const clock = (ms: number) => {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/** The session's countdown, the same on every screen (the server's clock, corrected by `offset`). */
export function BoardTimer({ timer, offset, large }: { timer: BoardView['timer']; offset: number; large?: boolean }) {
  const { t } = useI18n();
  const [, tick] = useState(0);
  useEffect(() => {
    if (timer.status !== 'running') return;
    const every = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(every);
  }, [timer.status, timer.endsAt]);
  const left = remainingMs(timer, offset);
  if (left === null) return null;
  return (
    <p class={large ? 'board-timer board-timer-large' : 'board-timer'}>
      <span class="muted">{t(timer.status === 'paused' ? 'board.timer.paused' : 'board.timer.left')}</span>{' '}
      <span data-testid="board-timer" role="timer" class={left === 0 ? 'board-timer-done' : undefined}>
        {clock(left)}
      </span>
    </p>
  );
}

/** The notes grouped by cluster (clusters in creation order, then the loose notes). */
export function IdeasByCluster(props: {
  board: BoardView;
  renderIdea: (idea: IdeaView) => ComponentChildren;
  renderClusterTools?: (cluster: ClusterView) => ComponentChildren;
}) {
  const { t } = useI18n();
  const { board } = props;
  const groups: Array<{ cluster: ClusterView | null; ideas: IdeaView[] }> = [
    ...board.clusters.map((cluster) => ({ cluster, ideas: board.ideas.filter((i) => i.clusterId === cluster.id) })),
    { cluster: null, ideas: board.ideas.filter((i) => i.clusterId === null) },
  ];
  return (
    <div class="board-clusters" data-testid="board-notes" aria-live="polite">
      {board.ideas.length === 0 && board.clusters.length === 0 && <p class="muted">{t('board.empty')}</p>}
      {groups.map(({ cluster, ideas }) =>
        cluster === null && ideas.length === 0 ? null : (
          <section key={cluster?.id ?? 'loose'} class="board-cluster" aria-label={cluster?.title ?? t('board.loose')} data-testid={cluster ? 'board-cluster' : 'board-loose'}>
            {cluster ? (
              <h3 data-testid="board-cluster-title">{cluster.title}</h3>
            ) : (
              board.clusters.length > 0 && <h3 class="muted">{t('board.loose')}</h3>
            )}
            {cluster && props.renderClusterTools?.(cluster)}
            <ul class="list">
              {ideas.map((idea) => (
                <li key={idea.id} class="item board-idea" data-testid="board-idea">
                  {props.renderIdea(idea)}
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
    </div>
  );
}

/** A note's dots once revealed. */
export function IdeaDots({ idea }: { idea: IdeaView }) {
  const { t } = useI18n();
  if (idea.dots === null) return null;
  return (
    <span class="badge board-dots" data-testid="idea-dots">
      {t('board.dots', { count: idea.dots })}
    </span>
  );
}

/** A poll's live results: each option's count and share of the voters. */
export function PollResults({ poll }: { poll: BoardPoll }) {
  const { t } = useI18n();
  return (
    <div class="board-poll" data-testid="board-poll">
      <h3>
        {poll.question}{' '}
        <span class="badge">{t(poll.status === 'open' ? 'board.poll.open' : 'board.poll.closed')}</span>
      </h3>
      <table class="bars" data-testid="poll-results">
        <caption class="visually-hidden">{t('board.poll.results', { count: poll.voters })}</caption>
        <tbody>
          {poll.options.map((option, i) => (
            <tr key={i}>
              <th scope="row">{option}</th>
              <td>{poll.counts[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{t('board.poll.voters', { count: poll.voters })}</p>
    </div>
  );
}
