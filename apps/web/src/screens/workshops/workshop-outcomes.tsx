import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import type { BoardView } from './use-board';
import { sessionWhen, type WorkshopSession } from './workshop-format';

const MINUTES_MAX = 20_000; // libs/workshops MINUTES_MAX_LENGTH

/**
 * A session's published outcomes, as `GET /workshops/:id/outcomes` lists them (libs/workshops
 * BoardOutcomes; the route declares no response schema): never who wrote or voted what.
 */
interface SessionOutcomes {
  sessionId: string;
  publishedAt: string;
  minutes: string;
  topIdeas: Array<{ id: string; text: string; dots: number; cluster: string | null }>;
  polls: Array<{ question: string; options: string[]; multiple: boolean; counts: number[]; voters: number }>;
  voters: number;
}

/**
 * The facilitator closes the board and publishes its outcomes with the minutes, once the session
 * is at its results phase (the API refuses it earlier). The board's `closed` change arrives live.
 */
export function PublishOutcomesPanel({ sessionId, board }: { sessionId: string; board: BoardView }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (board.phase !== 'results') return null;
  const publish = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      unwrap(await api.POST('/api/v1/sessions/{sessionId}/board/outcomes', { params: { path: { sessionId } }, body: { minutes: minutes.trim() } }));
      setMessage({ ok: true, text: t('outcomes.published') });
    } catch (failure) {
      setMessage({ ok: false, text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel stack" aria-labelledby="outcomes-publish-title" data-testid="outcomes-publish">
      <h2 id="outcomes-publish-title">{t('outcomes.publishTitle')}</h2>
      {board.closed ? (
        <p class="muted">{t('outcomes.closedAlready')}</p>
      ) : (
        <form class="stack" onSubmit={(e) => void publish(e)}>
          <label>
            {t('outcomes.minutes')}
            <textarea rows={6} required maxLength={MINUTES_MAX} value={minutes} onInput={(e) => setMinutes((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit" class="primary" disabled={busy || !minutes.trim()}>
            {t('outcomes.publish')}
          </button>
        </form>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={`notice${message.ok ? '' : ' notice-error'}`}>
          {message.text}
        </p>
      )}
    </section>
  );
}

/** On the workshop's page: each session's published outcomes — minutes, the ideas most dotted, the polls. */
export function WorkshopOutcomes({ workshopId, sessions }: { workshopId: string; sessions: WorkshopSession[] }) {
  const { t, locale } = useI18n();
  const outcomes = useAsync(
    async () => (unwrap(await api.GET('/api/v1/workshops/{workshopId}/outcomes', { params: { path: { workshopId } } })) as unknown as { items: SessionOutcomes[] }).items,
    [workshopId],
  );
  if (!outcomes.data || outcomes.data.length === 0) return null;
  return (
    <section class="stack" aria-labelledby="outcomes-title" data-testid="workshop-outcomes">
      <h2 id="outcomes-title">{t('outcomes.title')}</h2>
      {outcomes.data.map((o) => {
        const session = sessions.find((s) => s.id === o.sessionId);
        return (
          <article key={o.sessionId} class="stack" data-testid="session-outcomes">
            <h3>{session ? sessionWhen(session, locale) : t('outcomes.session')}</h3>
            <p class="pre-wrap" data-testid="outcomes-minutes">
              {o.minutes}
            </p>
            {o.topIdeas.length > 0 && (
              <>
                <h4>{t('outcomes.topIdeas', { count: o.voters })}</h4>
                <ol data-testid="outcomes-top-ideas">
                  {o.topIdeas.map((idea) => (
                    <li key={idea.id}>
                      {idea.text} — {t('outcomes.dots', { count: idea.dots })}
                      {idea.cluster ? ` (${idea.cluster})` : ''}
                    </li>
                  ))}
                </ol>
              </>
            )}
            {o.polls.map((poll, i) => (
              <table key={i} class="bars" data-testid="outcomes-poll">
                <caption>{poll.question}</caption>
                <tbody>
                  {poll.options.map((option, j) => (
                    <tr key={j}>
                      <th scope="row">{option}</th>
                      <td>{poll.counts[j]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </article>
        );
      })}
    </section>
  );
}
