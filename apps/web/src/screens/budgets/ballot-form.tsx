import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { useTown } from '../../town';
import { type Budget, type BudgetProject, money } from './budget-types';

/**
 * A ballot holds one heading's projects (the API refuses a mix): with district headings the voter
 * picks the heading first, and the form then shows that heading's projects, its amount and its
 * own ballot rule (the budget's when it has none).
 */
function useHeadings(budget: Budget, projects: BudgetProject[]) {
  const { t, locale } = useI18n();
  const town = useTown();
  const ids = [null, ...budget.districtAmounts.map((h) => h.districtId)].filter((id) => projects.some((p) => p.districtId === id));
  const districts = useAsync(
    async () => (town && ids.some((id) => id !== null) ? unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: town.slug } } })).items : []),
    [town?.slug, ids.join()],
  );
  const name = (id: string | null) => {
    if (id === null) return t('budgetResults.heading.town');
    const d = districts.data?.find((x) => x.id === id);
    return d ? (locale === 'en' ? d.nameEn : d.nameFr) : id.slice(0, 8);
  };
  const scoped = (id: string | null): Budget => {
    const heading = budget.districtAmounts.find((h) => h.districtId === id);
    return heading ? { ...budget, amount: heading.amount, ballotRule: heading.ballotRule ?? budget.ballotRule } : budget;
  };
  return { ids, name, scoped };
}

/** What the rule allows, as the voter sees it beside the running total. */
function useRuleText(budget: Budget): string {
  const { t, locale } = useI18n();
  const rule = budget.ballotRule;
  if (rule.kind === 'approval') return t('ballot.rule.approval', { max: rule.maxProjects });
  if (rule.kind === 'knapsack') return t('ballot.rule.knapsack', { amount: money(budget.amount, budget.currency, locale) });
  if (rule.kind === 'cumulative') return t('ballot.rule.cumulative', { points: rule.points, max: rule.maxPerProject });
  return t('ballot.rule.ordinal', { ranks: rule.ranks });
}

/** What a ballot holds, as the API takes it: the projects (in rank order for ordinal ballots) and cumulative points. */
export interface BallotChoice {
  projects: string[];
  points?: number[];
}

/** The resident's own vote: the draft kept on the server (PUT), then cast (submit) for a receipt. */
async function castOnline(budgetId: string, body: BallotChoice): Promise<string> {
  unwrap(await api.PUT('/api/v1/budgets/{id}/ballot', { params: { path: { id: budgetId } }, body }));
  const cast = unwrap(await api.POST('/api/v1/budgets/{id}/ballot/submit', { params: { path: { id: budgetId } } })) as unknown as { receipt: string };
  return cast.receipt;
}

/**
 * The ballot: choose projects (or give points, or rank them), with the running total and the
 * rule in view; cast online by default, or by `cast` (staff entering a paper ballot, a resident
 * replacing their ballot with its receipt).
 */
export function BallotForm({
  budget: whole,
  projects: all,
  onCast,
  cast,
  submitLabel,
}: {
  budget: Budget;
  projects: BudgetProject[];
  onCast: (receipt: string) => void;
  cast?: (choice: BallotChoice) => Promise<string>;
  submitLabel?: string;
}) {
  const { t, locale } = useI18n();
  const headings = useHeadings(whole, all);
  const [heading, setHeading] = useState<string | null>(headings.ids[0] ?? null);
  const budget = headings.scoped(heading);
  const projects = all.filter((p) => p.districtId === heading);
  const rule = budget.ballotRule;
  const weighted = rule.kind === 'cumulative' || rule.kind === 'ordinal';
  const [weights, setWeights] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = projects.filter((p) => (weights[p.id] ?? 0) > 0);
  const total = chosen.reduce((sum, p) => sum + p.cost, 0);
  const points = chosen.reduce((sum, p) => sum + (weights[p.id] ?? 0), 0);
  const overBudget = rule.kind === 'knapsack' && total > budget.amount;

  const ruleText = useRuleText(budget);
  const set = (id: string, value: number) => setWeights((w) => ({ ...w, [id]: value }));

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const ordered = rule.kind === 'ordinal' ? [...chosen].sort((a, b) => weights[a.id] - weights[b.id]) : chosen;
      const body: BallotChoice = { projects: ordered.map((p) => p.id), ...(rule.kind === 'cumulative' ? { points: ordered.map((p) => weights[p.id]) } : {}) };
      onCast(await (cast ?? ((choice: BallotChoice) => castOnline(budget.id, choice)))(body));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : describeError(failure, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="ballot-title" data-testid="ballot">
      <h2 id="ballot-title">{t('ballot.title')}</h2>
      {headings.ids.length > 1 && (
        <fieldset data-testid="ballot-headings">
          <legend>{t('ballot.heading')}</legend>
          {headings.ids.map((id) => (
            <label key={id ?? 'town'} class="choice">
              <input
                type="radio"
                name="ballot-heading"
                checked={heading === id}
                onChange={() => {
                  setHeading(id);
                  setWeights({});
                }}
              />{' '}
              {headings.name(id)}
            </label>
          ))}
        </fieldset>
      )}
      <p data-testid="ballot-rule">{ruleText}</p>
      <ul class="list">
        {projects.map((p) => (
          <li key={p.id} class={`item${(weights[p.id] ?? 0) > 0 ? ' selected' : ''}`}>
            {weighted ? (
              <label>
                {p.title} — {money(p.cost, budget.currency, locale)}{' '}
                <input
                  type="number"
                  min={0}
                  max={rule.kind === 'cumulative' ? rule.maxPerProject : rule.ranks}
                  value={weights[p.id] ?? 0}
                  aria-label={rule.kind === 'cumulative' ? t('ballot.pointsFor', { title: p.title }) : t('ballot.rankFor', { title: p.title })}
                  onInput={(e) => set(p.id, Number((e.currentTarget as HTMLInputElement).value))}
                />
              </label>
            ) : (
              <label>
                <input type="checkbox" checked={(weights[p.id] ?? 0) > 0} onChange={(e) => set(p.id, (e.currentTarget as HTMLInputElement).checked ? 1 : 0)} /> {p.title} —{' '}
                {money(p.cost, budget.currency, locale)}
              </label>
            )}
            <p class="muted">{p.description}</p>
          </li>
        ))}
      </ul>
      <p role="status" data-testid="running-total" class={overBudget ? 'notice notice-error' : undefined}>
        {rule.kind === 'cumulative'
          ? t('ballot.pointsUsed', { used: points, points: rule.points })
          : t('ballot.total', { count: chosen.length, total: money(total, budget.currency, locale), amount: money(budget.amount, budget.currency, locale) })}
      </p>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || chosen.length === 0 || overBudget}>
        {submitLabel ?? t('ballot.submit')}
      </button>
    </form>
  );
}
