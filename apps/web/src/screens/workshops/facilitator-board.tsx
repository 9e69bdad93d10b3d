import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { BoardTimer, IdeaDots, IdeasByCluster } from './board-parts';
import { CheckInPanel, PhaseControls, PollControls, ProjectorPanel, Run, TimerControls, VoteControls } from './facilitator-panels';
import { useBoard, type BoardView, type ClusterView, type IdeaView } from './use-board';
import { PublishOutcomesPanel } from './workshop-outcomes';

/** A note's tools: its cluster, hide. Moving names the version the facilitator saw (a stale one is refused). */
function IdeaTools({ board, idea, run }: { board: BoardView; idea: IdeaView; run: Run }) {
  const { t } = useI18n();
  const arranging = !board.closed && (board.phase === 'collect' || board.phase === 'cluster');
  return (
    <>
      <span class="board-idea-text">{idea.text}</span>
      <IdeaDots idea={idea} />
      <span class="board-tools">
        {arranging && board.clusters.length > 0 && (
          <select
            aria-label={t('board.idea.clusterFor', { text: idea.text })}
            value={idea.clusterId ?? ''}
            onChange={(e) => {
              const value = (e.currentTarget as HTMLSelectElement).value;
              void run('idea.move', { ideaId: idea.id, clusterId: value || null, version: idea.version });
            }}
          >
            <option value="">{t('board.loose')}</option>
            {board.clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        )}
        {!board.closed && (
          <button type="button" class="link" aria-label={t('board.idea.hideLabel', { text: idea.text })} onClick={() => void run('idea.hide', { ideaId: idea.id })}>
            {t('board.hide')}
          </button>
        )}
      </span>
    </>
  );
}

/** A cluster's tools: rename, merge into another, hide. */
function ClusterTools({ board, cluster, run }: { board: BoardView; cluster: ClusterView; run: Run }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(cluster.title);
  const [into, setInto] = useState('');
  if (board.closed) return null;
  const others = board.clusters.filter((c) => c.id !== cluster.id);
  return (
    <div class="board-tools">
      <form
        class="board-tools"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim() && title.trim() !== cluster.title) void run('cluster.rename', { clusterId: cluster.id, title: title.trim(), version: cluster.version });
        }}
      >
        <input aria-label={t('board.cluster.renameLabel', { title: cluster.title })} maxLength={80} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" class="secondary">
          {t('board.cluster.rename')}
        </button>
      </form>
      {others.length > 0 && (
        <form
          class="board-tools"
          onSubmit={(e) => {
            e.preventDefault();
            if (into) void run('cluster.merge', { fromId: cluster.id, intoId: into });
          }}
        >
          <select aria-label={t('board.cluster.mergeLabel', { title: cluster.title })} value={into} onChange={(e) => setInto((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('board.cluster.mergeChoose')}</option>
            {others.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary" disabled={!into}>
            {t('board.cluster.merge')}
          </button>
        </form>
      )}
      <button type="button" class="link" aria-label={t('board.cluster.hideLabel', { title: cluster.title })} onClick={() => void run('cluster.hide', { clusterId: cluster.id })}>
        {t('board.hide')}
      </button>
    </div>
  );
}

/** A new cluster, and a note posted by the facilitator (e.g. one said aloud in the room). */
function BoardWriting({ board, run }: { board: BoardView; run: Run }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  if (board.closed || (board.phase !== 'collect' && board.phase !== 'cluster')) return null;
  return (
    <div class="stack">
      <form
        class="board-tools"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim()) void run('cluster.create', { title: title.trim() }).then((ok) => ok && setTitle(''));
        }}
      >
        <label for="cluster-title">{t('board.cluster.new')}</label>
        <input id="cluster-title" maxLength={80} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">{t('board.cluster.create')}</button>
      </form>
      <form
        class="board-tools"
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) void run('idea.post', { text: note.trim() }).then((ok) => ok && setNote(''));
        }}
      >
        <label for="facilitator-note">{t('board.note')}</label>
        <input id="facilitator-note" maxLength={280} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" class="secondary">
          {t('board.post')}
        </button>
      </form>
    </div>
  );
}

/** Hidden notes and clusters (facilitators only), each with "show again". */
function HiddenItems({ hidden, run }: { hidden: { ideas: IdeaView[]; clusters: ClusterView[] }; run: Run }) {
  const { t } = useI18n();
  if (hidden.ideas.length === 0 && hidden.clusters.length === 0) return null;
  return (
    <section aria-labelledby="hidden-title">
      <h2 id="hidden-title">{t('board.hidden')}</h2>
      <ul class="list" data-testid="board-hidden">
        {hidden.clusters.map((c) => (
          <li key={c.id} class="item board-idea">
            <span class="board-idea-text">{c.title}</span>
            <button type="button" class="link" aria-label={t('board.showLabel', { text: c.title })} onClick={() => void run('cluster.show', { clusterId: c.id })}>
              {t('board.show')}
            </button>
          </li>
        ))}
        {hidden.ideas.map((i) => (
          <li key={i.id} class="item board-idea">
            <span class="board-idea-text">{i.text}</span>
            <button type="button" class="link" aria-label={t('board.showLabel', { text: i.text })} onClick={() => void run('idea.show', { ideaId: i.id })}>
              {t('board.show')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The facilitator's live board (tablet, desktop): phases, the countdown, arranging the notes into
 * clusters, the vote and its reveal, quick polls, check-in at the door and the projector's link.
 * Every control is a board command; the screen shows the board as broadcast, so what the
 * facilitator sees is what the room sees.
 */
export function FacilitatorBoardScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const { board, me, live, refusal, offset, act, refusalText } = useBoard(id, `workshop-session:${id}`);
  const [notice, setNotice] = useState<string | null>(null);
  const run: Run = async (type, fields = {}) => {
    const ack = await act(type, fields);
    if (!ack) setNotice(t('error.NETWORK'));
    else if (!ack.ok) setNotice(refusalText(ack));
    else setNotice(null);
    return ack?.ok === true;
  };

  if (refusal || (me && me.role !== 'facilitator')) {
    return (
      <section class="card" aria-labelledby="board-title">
        <h1 id="board-title">{t('board.facilitator.title')}</h1>
        <p role="alert" class="notice notice-error" data-testid="board-refused">
          {refusal ?? t('error.BOARD_FACILITATOR_ONLY')}
        </p>
      </section>
    );
  }
  return (
    <section class="card stack" aria-labelledby="board-title">
      <h1 id="board-title">{t('board.facilitator.title')}</h1>
      <p role="status">
        {live && <span class="badge live" data-testid="board-live">{t('board.live')}</span>}{' '}
        {board && <span data-testid="board-phase">{t(`board.phase.${board.phase}`)}</span>}
        {board?.closed && <> · {t('board.closed')}</>}
      </p>
      {notice && (
        <p role="alert" class="notice notice-error" data-testid="board-notice">
          {notice}
        </p>
      )}
      {!board || !me ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <div class="facilitator-board">
          <div class="stack">
            <PhaseControls board={board} run={run} />
            <BoardTimer timer={board.timer} offset={offset} large />
            <h2>{t('board.notes', { count: board.ideas.length })}</h2>
            <BoardWriting board={board} run={run} />
            <IdeasByCluster
              board={board}
              renderIdea={(idea) => <IdeaTools board={board} idea={idea} run={run} />}
              renderClusterTools={(cluster) => <ClusterTools key={`${cluster.id}:${cluster.version}`} board={board} cluster={cluster} run={run} />}
            />
            {me.hidden && <HiddenItems hidden={me.hidden} run={run} />}
          </div>
          <div class="stack">
            <TimerControls board={board} run={run} />
            <VoteControls board={board} run={run} />
            <PollControls board={board} run={run} />
            <PublishOutcomesPanel sessionId={id} board={board} />
            <CheckInPanel sessionId={id} />
            <ProjectorPanel sessionId={id} />
          </div>
        </div>
      )}
    </section>
  );
}
