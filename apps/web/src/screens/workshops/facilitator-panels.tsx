import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { PollResults } from './board-parts';
import type { BoardView } from './use-board';

/** Sends one board command; true when accepted (a refusal is shown by the caller's notice). */
export type Run = (type: string, fields?: Record<string, unknown>) => Promise<boolean>;

const PHASES = ['collect', 'cluster', 'vote', 'results'] as const;

/** The phase, one step back or forward (the server refuses any other jump). */
export function PhaseControls({ board, run }: { board: BoardView; run: Run }) {
  const { t } = useI18n();
  const at = PHASES.indexOf(board.phase);
  const previous = PHASES[at - 1];
  const next = PHASES[at + 1];
  return (
    <div class="actions" role="group" aria-label={t('board.phase.label')}>
      {previous && (
        <button type="button" class="secondary" disabled={board.closed} onClick={() => void run('phase.set', { phase: previous })}>
          {t('board.phase.back', { phase: t(`board.phase.${previous}`) })}
        </button>
      )}
      {next && (
        <button type="button" disabled={board.closed} onClick={() => void run('phase.set', { phase: next })}>
          {t('board.phase.next', { phase: t(`board.phase.${next}`) })}
        </button>
      )}
    </div>
  );
}

/** The countdown's controls (the countdown itself is shown large beside the notes): start (minutes), pause / resume, add a minute, reset. */
export function TimerControls({ board, run }: { board: BoardView; run: Run }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState('5');
  const { timer } = board;
  const start = (event: Event) => {
    event.preventDefault();
    const seconds = Math.round(Number(minutes) * 60);
    if (seconds > 0) void run('timer.start', { seconds });
  };
  return (
    <section class="stack" aria-labelledby="timer-title">
      <h2 id="timer-title">{t('board.timer.title')}</h2>
      {timer.status === 'idle' ? (
        <form class="board-tools" onSubmit={start}>
          <label for="timer-minutes">{t('board.timer.minutes')}</label>
          <input id="timer-minutes" type="number" min="1" max="240" step="1" value={minutes} onInput={(e) => setMinutes((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" disabled={board.closed}>
            {t('board.timer.start')}
          </button>
        </form>
      ) : (
        <div class="actions">
          {timer.status === 'running' ? (
            <button type="button" onClick={() => void run('timer.pause')}>
              {t('board.timer.pause')}
            </button>
          ) : (
            <button type="button" onClick={() => void run('timer.resume')}>
              {t('board.timer.resume')}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => void run('timer.add', { seconds: 60 })}>
            {t('board.timer.addMinute')}
          </button>
          <button type="button" class="secondary" onClick={() => void run('timer.reset')}>
            {t('board.timer.reset')}
          </button>
        </div>
      )}
    </section>
  );
}

/** Dots: the allowance before the vote; the count of dots cast and the reveal during it. */
export function VoteControls({ board, run }: { board: BoardView; run: Run }) {
  const { t } = useI18n();
  const [perPerson, setPerPerson] = useState(String(board.settings.dotsPerParticipant));
  const [perIdea, setPerIdea] = useState(String(board.settings.maxDotsPerIdea));
  const voting = board.phase === 'vote' || board.phase === 'results';
  return (
    <section class="stack" aria-labelledby="vote-title">
      <h2 id="vote-title">{t('board.vote.title')}</h2>
      <p data-testid="dots-cast">{t('board.vote.cast', { count: board.dotsCast })}</p>
      {!voting && (
        <form
          class="board-tools"
          onSubmit={(e) => {
            e.preventDefault();
            void run('settings.set', { dotsPerParticipant: Number(perPerson), maxDotsPerIdea: Number(perIdea) });
          }}
        >
          <label for="dots-per-person">{t('board.vote.perPerson')}</label>
          <input id="dots-per-person" type="number" min="1" max="20" value={perPerson} onInput={(e) => setPerPerson((e.currentTarget as HTMLInputElement).value)} />
          <label for="dots-per-idea">{t('board.vote.perIdea')}</label>
          <input id="dots-per-idea" type="number" min="1" max="20" value={perIdea} onInput={(e) => setPerIdea((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="secondary" disabled={board.closed}>
            {t('board.vote.save')}
          </button>
        </form>
      )}
      {voting && !board.votesRevealed && (
        <button type="button" onClick={() => void run('votes.reveal')}>
          {t('board.vote.reveal')}
        </button>
      )}
      {board.votesRevealed && <p class="badge">{t('board.vote.revealed')}</p>}
    </section>
  );
}

/** Quick polls: open one (an option a line), close it; results live. */
export function PollControls({ board, run }: { board: BoardView; run: Run }) {
  const { t } = useI18n();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState('');
  const [multiple, setMultiple] = useState(false);
  const open = async (event: Event) => {
    event.preventDefault();
    const list = options.split('\n').map((o) => o.trim()).filter(Boolean);
    if (await run('poll.open', { question: question.trim(), options: list, multiple })) {
      setQuestion('');
      setOptions('');
      setMultiple(false);
    }
  };
  return (
    <section class="stack" aria-labelledby="polls-title">
      <h2 id="polls-title">{t('board.poll.title')}</h2>
      <form class="stack" onSubmit={(e) => void open(e)}>
        <label for="poll-question">{t('board.poll.question')}</label>
        <input id="poll-question" maxLength={200} value={question} onInput={(e) => setQuestion((e.currentTarget as HTMLInputElement).value)} />
        <label for="poll-options">{t('board.poll.options')}</label>
        <textarea id="poll-options" rows={3} value={options} onInput={(e) => setOptions((e.currentTarget as HTMLTextAreaElement).value)} />
        <label class="choice">
          <input type="checkbox" checked={multiple} onChange={(e) => setMultiple((e.currentTarget as HTMLInputElement).checked)} />
          {t('board.poll.multiple')}
        </label>
        <button type="submit" disabled={board.closed || !question.trim()}>
          {t('board.poll.openButton')}
        </button>
      </form>
      {[...board.polls].reverse().map((poll) => (
        <div key={poll.id}>
          <PollResults poll={poll} />
          {poll.status === 'open' && (
            <button type="button" class="secondary" onClick={() => void run('poll.close', { pollId: poll.id })}>
              {t('board.poll.close', { question: poll.question })}
            </button>
          )}
        </div>
      ))}
    </section>
  );
}

/**
 * Check-in at the door: the code typed, or read by a scanner (a USB or Bluetooth scanner types
 * the code into the field and presses Enter), or a walk-in's name.
 */
export function CheckInPanel({ sessionId, onCheckedIn }: { sessionId: string; onCheckedIn?: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [result, setResult] = useState<{ error: boolean; text: string } | null>(null);
  const checkIn = async (body: { code: string } | { walkInName: string }) => {
    try {
      const done = unwrap(await api.POST('/api/v1/sessions/{id}/check-ins', { params: { path: { id: sessionId } }, body }));
      const who = done.walkInName ?? done.code ?? '';
      setResult({ error: false, text: t(done.counted ? 'board.checkIn.done' : 'board.checkIn.again', { who }) });
      onCheckedIn?.();
      return true;
    } catch (failure) {
      setResult({ error: true, text: describeError(failure, t) });
      return false;
    }
  };
  return (
    <section class="stack" aria-labelledby="check-in-title">
      <h2 id="check-in-title">{t('board.checkIn.title')}</h2>
      <form
        class="board-tools"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) void checkIn({ code: code.trim() }).then((ok) => ok && setCode(''));
        }}
      >
        <label for="check-in-code">{t('board.checkIn.code')}</label>
        <input id="check-in-code" autoComplete="off" autoCapitalize="characters" maxLength={64} value={code} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">{t('board.checkIn.submit')}</button>
      </form>
      <form
        class="board-tools"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void checkIn({ walkInName: name.trim() }).then((ok) => ok && setName(''));
        }}
      >
        <label for="walk-in-name">{t('board.checkIn.walkIn')}</label>
        <input id="walk-in-name" maxLength={120} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" class="secondary">
          {t('board.checkIn.addWalkIn')}
        </button>
      </form>
      {result && (
        <p role={result.error ? 'alert' : 'status'} class={result.error ? 'notice notice-error' : 'notice'} data-testid="check-in-result">
          {result.text}
        </p>
      )}
    </section>
  );
}

/** The room's screen: a secret link (a new one revokes the former). */
export function ProjectorPanel({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    try {
      const { key } = unwrap(await api.POST('/api/v1/sessions/{sessionId}/board/projector-key', { params: { path: { sessionId } } })) as { key: string };
      // The key rides in the fragment: browsers never send it to the server in a request line or Referer.
      setLink(`${location.origin}/sessions/${sessionId}/projector#${key}`);
      setError(null);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };
  return (
    <section class="stack" aria-labelledby="projector-title">
      <h2 id="projector-title">{t('board.projector.title')}</h2>
      <p class="muted">{t('board.projector.help')}</p>
      <button type="button" class="secondary" onClick={() => void create()}>
        {t('board.projector.create')}
      </button>
      {link && (
        <p>
          <a href={link} target="_blank" rel="noopener" data-testid="projector-link">
            {t('board.projector.open')}
          </a>
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}
