import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { BoardTimer, IdeaDots, IdeasByCluster, PollResults } from './board-parts';
import { IdeaToProposal } from './idea-proposal';
import { useBoard, type BoardPoll, type BoardView, type CommandAck } from './use-board';

const MAX_NOTE = 280;

/** An open poll: choose (one, or several when it says so) and answer; answering again replaces. */
function PollAnswer({ poll, mine, answer }: { poll: BoardPoll; mine: number[] | undefined; answer: (choices: number[]) => Promise<void> }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<number[]>(mine ?? []);
  const toggle = (i: number, on: boolean) => setChosen((c) => (poll.multiple ? (on ? [...c, i] : c.filter((x) => x !== i)) : [i]));
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen.length) void answer(chosen);
      }}
    >
      <fieldset class="question">
        <legend>{poll.question}</legend>
        {poll.options.map((option, i) => (
          <label key={i} class="choice">
            <input type={poll.multiple ? 'checkbox' : 'radio'} name={`poll-${poll.id}`} checked={chosen.includes(i)} onChange={(e) => toggle(i, (e.currentTarget as HTMLInputElement).checked)} />
            {option}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={chosen.length === 0}>
        {t(mine ? 'board.poll.change' : 'board.poll.answer')}
      </button>
    </form>
  );
}

/** Dots on one note during the vote: add, take back, and how many are mine. */
function DotButtons({ board, ideaId, text, myCount, left, act }: { board: BoardView; ideaId: string; text: string; myCount: number; left: number; act: (type: string, ideaId: string) => void }) {
  const { t } = useI18n();
  if (board.phase !== 'vote' || board.closed) return null;
  return (
    <span class="board-tools">
      <button type="button" class="secondary" aria-label={t('board.dot.addLabel', { text })} disabled={left === 0 || myCount >= board.settings.maxDotsPerIdea} onClick={() => act('dot.add', ideaId)}>
        +1
      </button>
      <button type="button" class="secondary" aria-label={t('board.dot.removeLabel', { text })} disabled={myCount === 0} onClick={() => act('dot.remove', ideaId)}>
        −1
      </button>
      {myCount > 0 && <span class="badge">{t('board.dot.mine', { count: myCount })}</span>}
    </span>
  );
}

/**
 * The participant's board in the session, on a phone: the phase and countdown, the notes by
 * cluster, posting one, the dots during the vote, open polls. Kept live through `useBoard`.
 */
export function SessionBoardScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const { board, me, live, refusal, offset, act, refusalText } = useBoard(id, `workshop-session:${id}`);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (type: string, fields: Record<string, unknown>): Promise<CommandAck | null> => {
    const ack = await act(type, fields);
    if (!ack) setError(t('error.NETWORK'));
    else if (!ack.ok) setError(refusalText(ack));
    else setError(null);
    return ack;
  };

  const post = async (event: Event) => {
    event.preventDefault();
    if (!board || !text.trim()) return;
    setSending(true);
    const ack = await send('idea.post', { text: text.trim() });
    setSending(false);
    if (ack?.ok) setText('');
  };

  if (refusal) {
    return (
      <section class="card" aria-labelledby="board-title">
        <h1 id="board-title">{t('board.title')}</h1>
        <p role="alert" class="notice notice-error" data-testid="board-refused">
          {refusal}
        </p>
      </section>
    );
  }
  const mine = new Set(me?.myIdeas ?? []);
  const myDots = me?.myDots ?? {};
  const left = board ? board.settings.dotsPerParticipant - Object.values(myDots).reduce((a, b) => a + b, 0) : 0;
  return (
    <section class="card stack" aria-labelledby="board-title">
      <h1 id="board-title">{t('board.title')}</h1>
      <p role="status">
        {live && <span class="badge" data-testid="board-live">{t('board.live')}</span>}{' '}
        {board && <span data-testid="board-phase">{t(`board.phase.${board.phase}`)}</span>}
      </p>
      {!board && <p class="muted">{t('common.loading')}</p>}
      {board && <BoardTimer timer={board.timer} offset={offset} />}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      {board && !board.closed && (board.phase === 'collect' || board.phase === 'cluster') && (
        <form class="stack" onSubmit={(e) => void post(e)}>
          <label for="board-note">{t('board.note')}</label>
          <textarea id="board-note" maxLength={MAX_NOTE} rows={3} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="submit" disabled={sending || !text.trim()}>
            {t('board.post')}
          </button>
        </form>
      )}
      {board?.phase === 'vote' && !board.closed && <p data-testid="dots-left">{t('board.dot.left', { count: left })}</p>}
      {board?.closed && <p>{t('board.closed')}</p>}
      {board &&
        board.polls
          .filter((p) => p.status === 'open' && !board.closed)
          .map((poll) => (
            <div key={poll.id} class="stack">
              <PollAnswer poll={poll} mine={me?.myAnswers[poll.id]} answer={async (choices) => void (await send('poll.answer', { pollId: poll.id, choices }))} />
            </div>
          ))}
      {board && board.polls.length > 0 && <PollResults poll={board.polls[board.polls.length - 1]} />}
      {board && (
        <>
          <h2>{t('board.notes', { count: board.ideas.length })}</h2>
          <IdeasByCluster
            board={board}
            renderIdea={(idea) => (
              <>
                <span class="board-idea-text">{idea.text}</span>
                {mine.has(idea.id) && (
                  <>
                    {' '}
                    <span class="badge">{t('board.mine')}</span> <IdeaToProposal ideaId={idea.id} text={idea.text} />
                  </>
                )}
                <IdeaDots idea={idea} />
                <DotButtons board={board} ideaId={idea.id} text={idea.text} myCount={myDots[idea.id] ?? 0} left={left} act={(type, ideaId) => void send(type, { ideaId })} />
              </>
            )}
          />
        </>
      )}
    </section>
  );
}
