import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import type { Proposal } from './proposal-types';

type Outcome = { ok: boolean; lines: string[] };

function OutcomeNotice({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
  if (!outcome) return null;
  return (
    <div role={outcome.ok ? 'status' : 'alert'} class={`notice${outcome.ok ? '' : ' notice-error'}`} data-testid={testId}>
      {outcome.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

/**
 * Publishing the drafted answers of the ticked proposals at once. The API publishes each on its
 * own and says which failed and why (no draft, a state that cannot take it): both are shown, by
 * title, so staff know which to open.
 */
export function BulkPublishBar({ slug, picked, titles, onDone }: { slug: string; picked: string[]; titles: Map<string, string>; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const publish = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = unwrap(
        await api.POST('/api/v1/municipalities/{slug}/proposals/answers/publish', { params: { path: { slug } }, body: { proposalIds: picked } }),
      );
      const failures = result.failed.map((f) => t('answers.bulkFailed', { title: titles.get(f.proposalId) ?? f.proposalId, message: f.message }));
      setOutcome({ ok: failures.length === 0, lines: [t('answers.bulkDone', { count: result.published.length }), ...failures] });
      onDone();
    } catch (failure) {
      setOutcome({ ok: false, lines: [describeError(failure, t)] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="bulk-answers-title" data-testid="bulk-answers">
      <h2 id="bulk-answers-title">{t('answers.bulkTitle')}</h2>
      <p class="muted">{t('answers.bulkHint')}</p>
      <button type="button" class="primary" disabled={busy || picked.length === 0} onClick={() => void publish()}>
        {t('answers.bulkPublish', { count: picked.length })}
      </button>
      <OutcomeNotice outcome={outcome} testId="bulk-answers-result" />
    </section>
  );
}

/** Accepted proposals, each with "mark implemented" (accepted → implemented; the API tells its people). */
export function AcceptedProposals({ items, onChanged }: { items: Proposal[]; onChanged: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const implement = async (p: Proposal) => {
    setBusy(p.id);
    setOutcome(null);
    try {
      unwrap(await api.POST('/api/v1/proposals/{id}/implemented', { params: { path: { id: p.id } } }));
      setOutcome({ ok: true, lines: [t('answers.implemented', { title: p.title })] });
      onChanged();
    } catch (failure) {
      setOutcome({ ok: false, lines: [describeError(failure, t)] });
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <h2>{t('answers.acceptedTitle')}</h2>
      <OutcomeNotice outcome={outcome} testId="implemented-result" />
      {items.length === 0 && <p class="muted">{t('answers.noneAccepted')}</p>}
      <ul class="list" data-testid="accepted-proposals">
        {items.map((p) => (
          <li key={p.id} class="item">
            <span class="row-main">{p.title}</span>{' '}
            <button type="button" disabled={busy !== null} onClick={() => void implement(p)}>
              {t('answers.implement', { title: p.title })}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
