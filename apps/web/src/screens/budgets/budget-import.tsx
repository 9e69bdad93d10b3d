import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import type { Proposal, ProposalPage } from '../proposals/proposal-types';
import type { BudgetProject } from './budget-types';

/** The proposal states the API imports from (libs/budgets README: else PROPOSAL_NOT_IMPORTABLE). */
const IMPORTABLE = ['threshold_reached', 'evaluating', 'accepted'] as const;

function ImportRow({ budgetId, proposal, onImported }: { budgetId: string; proposal: Proposal; onImported: (project: BudgetProject) => void }) {
  const { t } = useI18n();
  const [cost, setCost] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `import-${proposal.id}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const project = unwrap(
        await api.POST('/api/v1/budgets/{id}/projects/import', { params: { path: { id: budgetId } }, body: { proposalId: proposal.id, cost: Number(cost) } }),
      ) as unknown as BudgetProject;
      onImported(project);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="item" data-testid="importable-proposal">
      <h3 id={id}>
        {proposal.title} <span class="badge">{t(`proposal.status.${proposal.status}`)}</span>
      </h3>
      <p class="muted">{t('budgetImport.supports', { count: proposal.supportCount })}</p>
      <form class="filters-inline" onSubmit={(e) => void submit(e)} aria-labelledby={id}>
        <label>
          {t('budgetImport.cost')}
          <input aria-label={t('budgetImport.costFor', { title: proposal.title })} type="number" required min={1} step={1} inputMode="numeric" value={cost} onInput={(e) => setCost((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={busy}>
          {t('budgetImport.submit')}
        </button>
      </form>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </li>
  );
}

/**
 * Staff: the town's proposals that reached their threshold, not yet projects of this budget, each
 * imported with the town's cost estimate (the API keeps the link to the proposal).
 */
export function BudgetImport({ budgetId, slug, projects, onImported }: { budgetId: string; slug: string; projects: BudgetProject[]; onImported: (project: BudgetProject) => void }) {
  const { t } = useI18n();
  const [done, setDone] = useState<string | null>(null);
  const proposals = useAsync(async () => {
    const pages = await Promise.all(
      IMPORTABLE.map(async (status) => (unwrap(await api.GET('/api/v1/municipalities/{slug}/proposals', { params: { path: { slug }, query: { status, limit: 100 } } })) as unknown as ProposalPage).items),
    );
    return pages.flat();
  }, [slug]);
  // A project its proposer withdrew still holds its proposal (the API answers 409): not offered again.
  const withdrawn = useAsync(
    async () => (unwrap(await api.GET('/api/v1/budgets/{id}/projects', { params: { path: { id: budgetId }, query: { status: 'withdrawn', limit: 100 } } })) as unknown as { items: BudgetProject[] }).items,
    [budgetId],
  );
  const imported = new Set([...projects, ...(withdrawn.data ?? [])].map((p) => p.proposalId).filter(Boolean));
  const eligible = withdrawn.data ? proposals.data?.filter((p) => !imported.has(p.id)) : undefined;
  return (
    <section aria-labelledby="import-title" data-testid="budget-import">
      <h2 id="import-title">{t('budgetImport.title')}</h2>
      <p class="muted">{t('budgetImport.hint')}</p>
      {done && (
        <p role="status" class="notice" data-testid="import-done">
          {done}
        </p>
      )}
      {proposals.error != null && <Failure error={proposals.error} onRetry={proposals.reload} />}
      {withdrawn.error != null && <Failure error={withdrawn.error} onRetry={withdrawn.reload} />}
      {(!proposals.data || !withdrawn.data) && proposals.error == null && withdrawn.error == null && <Loading />}
      {eligible?.length === 0 && <p>{t('budgetImport.none')}</p>}
      <ul class="list">
        {eligible?.map((p) => (
          <ImportRow
            key={p.id}
            budgetId={budgetId}
            proposal={p}
            onImported={(project) => {
              setDone(t('budgetImport.done', { title: project.title }));
              onImported(project);
            }}
          />
        ))}
      </ul>
    </section>
  );
}
