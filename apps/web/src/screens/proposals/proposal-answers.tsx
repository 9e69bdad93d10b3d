import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Schemas, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { ROUTES } from '../../router';
import { AcceptedProposals, BulkPublishBar } from './proposal-answer-actions';
import type { Proposal } from './proposal-types';
import { SafeHtml } from './safe-html';

type AnswerStatus = 'evaluating' | 'accepted' | 'rejected';
const ANSWER_STATUSES: AnswerStatus[] = ['evaluating', 'accepted', 'rejected'];

/** The answer as drafted (GET/PUT …/answer). */
type AnswerDraft = Schemas['ProposalAnswerResponseDto'];

/**
 * Drafting and publishing the town's official answer to one proposal: evaluating, accepted (with
 * an estimated cost and a timeline) or rejected (the text says why). A draft is staff's only
 * until published; publishing moves the proposal to the answer's state and tells its people.
 */
function AnswerEditor({ proposal, onPublished }: { proposal: Proposal; onPublished: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<AnswerDraft | null>(null);
  const [status, setStatus] = useState<AnswerStatus>('evaluating');
  const [body, setBody] = useState('');
  const [cost, setCost] = useState('');
  const [timeline, setTimeline] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    api.GET('/api/v1/proposals/{id}/answer', { params: { path: { id: proposal.id } } }).then((result) => {
      if (!current || !result.response.ok) return; // 409 PROPOSAL_NO_ANSWER: nothing drafted yet
      const found = result.data!;
      setDraft(found);
      setStatus(found.status);
      setBody(found.body);
      setCost(found.estimatedCost === null ? '' : String(found.estimatedCost));
      setTimeline(found.timeline ?? '');
    });
    return () => void (current = false);
  }, [proposal.id]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await action() });
    } catch (failure) {
      setMessage({ ok: false, text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };
  const save = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const accepted = status === 'accepted';
      const saved = unwrap(
        await api.PUT('/api/v1/proposals/{id}/answer', {
          params: { path: { id: proposal.id } },
          body: { status, body, ...(accepted && cost !== '' ? { estimatedCost: Number(cost) } : {}), ...(accepted && timeline ? { timeline } : {}) },
        }),
      );
      setDraft(saved);
      return t('answers.drafted');
    });
  };
  const publish = () =>
    void run(async () => {
      unwrap(await api.POST('/api/v1/proposals/{id}/answer/publish', { params: { path: { id: proposal.id } } }));
      onPublished();
      return t('answers.published');
    });

  return (
    <section class="panel" aria-labelledby="answer-editor-title" data-testid="answer-editor">
      <h2 id="answer-editor-title">{proposal.title}</h2>
      <p class="muted">
        {t('proposal.supports', { count: proposal.supportCount })}
        {proposal.answerDueAt ? ` · ${t('answers.due', { date: new Date(proposal.answerDueAt).toLocaleDateString() })}` : ''} ·{' '}
        <Link href={ROUTES.proposal(proposal.id)}>{t('answers.open')}</Link>
      </p>
      <SafeHtml html={proposal.bodyHtml} class="prose" />
      <form class="stack" onSubmit={save}>
        <fieldset>
          <legend>{t('answers.decision')}</legend>
          {ANSWER_STATUSES.map((s) => (
            <label key={s} class="inline">
              <input type="radio" name="answer-status" value={s} checked={status === s} onChange={() => setStatus(s)} /> {t(`proposal.status.${s}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {status === 'rejected' ? t('answers.bodyRejected') : t('answers.body')}
          <textarea required minLength={3} maxLength={10000} rows={5} value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        {status === 'accepted' && (
          <>
            <label>
              {t('answers.cost')}
              <input type="number" required min={0} step={1} inputMode="numeric" value={cost} onInput={(e) => setCost((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label>
              {t('answers.timeline')}
              <input type="text" required maxLength={500} value={timeline} onInput={(e) => setTimeline((e.currentTarget as HTMLInputElement).value)} />
            </label>
          </>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('answers.saveDraft')}
          </button>
          <button type="button" class="primary" disabled={busy || !draft || !!draft.publishedAt} onClick={publish}>
            {t('answers.publish')}
          </button>
        </div>
        {draft && !draft.publishedAt && <p class="muted">{t('answers.draftNotPublic')}</p>}
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} class={`notice${message.ok ? '' : ' notice-error'}`} data-testid="answer-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

/** Staff: the proposals awaiting the town's answer (overdue first), and the answer editor. */
export function ProposalAnswersScreen({ slug }: { slug: string }) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string | null>(null);
  // Ticked for publishing at once (their drafted answers).
  const [picked, setPicked] = useState<string[]>([]);
  // Said above the lists: a published proposal may leave them (accepted, rejected) with its editor.
  const [notice, setNotice] = useState<string | null>(null);
  const queues = useAsync(async () => {
    const list = async (status: 'threshold_reached' | 'evaluating' | 'accepted') =>
      unwrap(await api.GET('/api/v1/municipalities/{slug}/proposals', { params: { path: { slug }, query: { status, limit: 100 } } })).items;
    const [overdue, reached, evaluating, accepted] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}/proposals/overdue-answers', { params: { path: { slug } } }).then((r) => unwrap(r).items),
      list('threshold_reached'),
      list('evaluating'),
      list('accepted'),
    ]);
    const late = new Set(overdue.map((p) => p.id));
    return { overdue, waiting: [...reached, ...evaluating].filter((p) => !late.has(p.id)), accepted };
  }, [slug]);

  if (queues.error instanceof ApiError && (queues.error.status === 401 || queues.error.status === 403)) {
    return (
      <p role="alert" class="notice notice-error">
        {t('answers.forbidden')}
      </p>
    );
  }
  const all = [...(queues.data?.overdue ?? []), ...(queues.data?.waiting ?? [])];
  const current = all.find((p) => p.id === selected) ?? null;
  const titles = new Map(all.map((p) => [p.id, p.title]));
  const toggle = (id: string, on: boolean) => setPicked((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
  const item = (p: Proposal, late: boolean) => (
    <li key={p.id} class={`item with-check${p.id === selected ? ' selected' : ''}`} data-testid="answer-item">
      <input
        type="checkbox"
        aria-label={t('answers.pick', { title: p.title })}
        checked={picked.includes(p.id)}
        onChange={(e) => toggle(p.id, (e.currentTarget as HTMLInputElement).checked)}
      />
      <button type="button" class="row" aria-pressed={p.id === selected} onClick={() => setSelected(p.id)}>
        <span class="row-main">{p.title}</span>
        <span class="badge">{t(`proposal.status.${p.status}`)}</span>
        {late && <span class="badge sla-late">{t('answers.overdue')}</span>}
      </button>
    </li>
  );
  return (
    <section class="board" aria-labelledby="answers-title">
      <h1 id="answers-title">{t('answers.title')}</h1>
      {notice && (
        <p role="status" class="notice" data-testid="answers-notice">
          {notice}
        </p>
      )}
      {queues.loading && !queues.data && <Loading />}
      {queues.error != null && <Failure error={queues.error} onRetry={queues.reload} />}
      <div class="board-columns">
        <div class="queue">
          <h2>{t('answers.overdueTitle')}</h2>
          {queues.data?.overdue.length === 0 && <p class="muted">{t('answers.noneOverdue')}</p>}
          <ul class="list" data-testid="overdue-answers">
            {queues.data?.overdue.map((p) => item(p, true))}
          </ul>
          <h2>{t('answers.waitingTitle')}</h2>
          {queues.data?.waiting.length === 0 && <p class="muted">{t('answers.noneWaiting')}</p>}
          <ul class="list" data-testid="waiting-answers">
            {queues.data?.waiting.map((p) => item(p, false))}
          </ul>
          <BulkPublishBar
            slug={slug}
            picked={picked}
            titles={titles}
            onDone={() => {
              setPicked([]);
              queues.reload();
            }}
          />
          {queues.data && <AcceptedProposals items={queues.data.accepted} onChanged={queues.reload} />}
        </div>
        <div class="detail">{current ? <AnswerEditor
                key={current.id}
                proposal={current}
                onPublished={() => {
                  setNotice(t('answers.publishedTitle', { title: current.title }));
                  queues.reload();
                }}
              /> : <p class="muted">{t('answers.select')}</p>}</div>
      </div>
    </section>
  );
}
