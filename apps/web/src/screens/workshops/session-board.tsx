import { useEffect, useRef, useState } from 'preact/hooks';
import { hasMessage, useI18n } from '../../i18n';
import { command, onReconnect, subscribe } from '../../realtime/socket';
import { applyChanges, type BoardChange, type BoardRefusal, type BoardSnapshot, type CommandAck, type SyncAck } from './board-types';

const MAX_NOTE = 280;

/**
 * The participant's board in the session: the notes, live, and posting one. Joins the topic
 * `workshop-session:{id}` through the app's one socket, then asks `board:sync` for a snapshot;
 * broadcasts are applied in seq order, and a gap (or a reconnection that lost events) syncs again.
 */
export function SessionBoardScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const [board, setBoard] = useState<BoardSnapshot | null>(null);
  const [mine, setMine] = useState<Set<string>>(new Set());
  const [live, setLive] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);
  const boardRef = useRef<BoardSnapshot | null>(null);
  boardRef.current = board;

  const refusalText = (r: BoardRefusal) => {
    const key = `error.${r.error.code}`;
    return hasMessage(key) ? t(key) : r.error.message;
  };

  useEffect(() => {
    let current = true;
    const sync = async () => {
      const ack = await command<SyncAck>('board:sync', { sessionId: id });
      if (!current || !ack) return;
      if (!ack.ok) return setRefusal(refusalText(ack));
      setRefusal(null);
      setBoard(ack.board);
      setMine(new Set(ack.me.myIdeas));
    };
    const receive = (changes: BoardChange[]) => {
      const shown = boardRef.current;
      if (!shown) return;
      const next = applyChanges(shown, changes);
      if (next) setBoard((boardRef.current = next));
      else void sync();
    };
    const stop = subscribe(
      `workshop-session:${id}`,
      (event) => {
        const data = event.data as { sessionId?: string; changes?: BoardChange[] };
        if (event.type === 'workshop.board.changes' && data.sessionId === id && data.changes) receive(data.changes);
      },
      (ok) => {
        setLive(ok);
        // Accepted: load the board. Refused: board:sync says why (not checked in, unknown session).
        if (ok || !boardRef.current) void sync();
      },
    );
    const stopReconnect = onReconnect(() => void sync());
    return () => {
      current = false;
      stop();
      stopReconnect();
    };
  }, [id]);

  const post = async (event: Event) => {
    event.preventDefault();
    if (!board || !text.trim()) return;
    setSending(true);
    setPostError(null);
    const ack = await command<CommandAck>('board', { sessionId: id, type: 'idea.post', text: text.trim() });
    setSending(false);
    if (!ack) return setPostError(t('error.NETWORK'));
    if (!ack.ok) return setPostError(refusalText(ack));
    setText('');
    if (ack.change.kind === 'idea.posted') setMine((m) => new Set(m).add((ack.change as { idea: { id: string } }).idea.id));
    const next = boardRef.current && applyChanges(boardRef.current, [ack.change]);
    if (next) setBoard((boardRef.current = next));
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
  return (
    <section class="card stack" aria-labelledby="board-title">
      <h1 id="board-title">{t('board.title')}</h1>
      <p role="status">
        {live && <span class="badge" data-testid="board-live">{t('board.live')}</span>}{' '}
        {board && <span data-testid="board-phase">{t(`board.phase.${board.phase}`)}</span>}
      </p>
      {!board && <p class="muted">{t('common.loading')}</p>}
      {board && !board.closed && (board.phase === 'collect' || board.phase === 'cluster') && (
        <form class="stack" onSubmit={(e) => void post(e)}>
          <label for="board-note">{t('board.note')}</label>
          <textarea id="board-note" maxLength={MAX_NOTE} rows={3} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          {postError && (
            <p role="alert" class="notice notice-error">
              {postError}
            </p>
          )}
          <button type="submit" disabled={sending || !text.trim()}>
            {t('board.post')}
          </button>
        </form>
      )}
      {board?.closed && <p>{t('board.closed')}</p>}
      {board && (
        <>
          <h2>{t('board.notes', { count: board.ideas.length })}</h2>
          {board.ideas.length === 0 && <p class="muted">{t('board.empty')}</p>}
          <ul class="list" data-testid="board-notes" aria-live="polite">
            {[...board.ideas]
              .sort((a, b) => a.createdSeq - b.createdSeq)
              .map((idea) => (
                <li key={idea.id} class="item">
                  {idea.text}
                  {mine.has(idea.id) && (
                    <>
                      {' '}
                      <span class="badge">{t('board.mine')}</span>
                    </>
                  )}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}
