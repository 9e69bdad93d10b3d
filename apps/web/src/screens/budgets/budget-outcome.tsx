import { api, unwrap } from '../../api/client';
import { useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { useTown } from '../../town';
import { type Budget, type BudgetProject, money } from './budget-types';

/** One heading of the stored outcome (libs/budgets budget-tally.ts): town-wide (districtId null), then each district. */
export interface OutcomeHeading {
  districtId: string | null;
  amount: number;
  ballots: number;
  cost: string;
  projects: Array<{ id: string; cost: string; votes: number; selected: boolean }>;
}

/**
 * The outcome after the close, per heading: the rule that decided it, the amount, ballots and money
 * left, and every project's votes and cost (selected ones marked), with the heading's Pabulib file
 * so anyone can recount it with their own tools.
 */
export function BudgetOutcome({ budget, headings, projects }: { budget: Budget; headings: OutcomeHeading[]; projects: BudgetProject[] }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const districts = useAsync(
    async () => (town && headings.some((h) => h.districtId) ? unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: town.slug } } })).items : []),
    [town?.slug],
  );
  const headingName = (districtId: string | null) => {
    if (!districtId) return t('budgetResults.heading.town');
    const d = districts.data?.find((x) => x.id === districtId);
    return d ? (locale === 'en' ? d.nameEn : d.nameFr) : districtId.slice(0, 8);
  };
  const title = (id: string) => projects.find((p) => p.id === id)?.title ?? id.slice(0, 8);
  const fmt = (amount: number) => money(amount, budget.currency, locale);
  return (
    <section aria-labelledby="outcome-title" data-testid="outcome">
      <h2 id="outcome-title">{t('budgetResults.outcome')}</h2>
      <p data-testid="outcome-rule">{t(`budgetResults.rule.${budget.outcomeRule}`)}</p>
      {headings.map((h) => {
        const id = `heading-${h.districtId ?? 'town'}`;
        const exportUrl = `/api/v1/budgets/${budget.id}/export.pb${h.districtId ? `?district=${h.districtId}` : ''}`;
        return (
          <div key={id} data-testid="outcome-heading">
            <h3 id={id}>{headingName(h.districtId)}</h3>
            <p class="muted">{t('budgetResults.headingFigures', { amount: fmt(h.amount), ballots: h.ballots, left: fmt(h.amount - Number(h.cost)) })}</p>
            <table aria-labelledby={id}>
              <thead>
                <tr>
                  <th scope="col">{t('budgetResults.project')}</th>
                  <th scope="col" class="number">{t('budgetResults.votes')}</th>
                  <th scope="col" class="number">{t('budgetResults.cost')}</th>
                  <th scope="col">{t('budgetResults.selected')}</th>
                </tr>
              </thead>
              <tbody>
                {[...h.projects]
                  .sort((a, b) => b.votes - a.votes)
                  .map((p) => (
                    <tr key={p.id} class={p.selected ? 'selected' : undefined}>
                      <th scope="row">{title(p.id)}</th>
                      <td class="number">{p.votes}</td>
                      <td class="number">{fmt(Number(p.cost))}</td>
                      <td>{p.selected ? t('budgetResults.yes') : t('budgetResults.no')}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <p>
              <a href={exportUrl} download aria-describedby={id}>
                {t('budgetResults.pabulib')}
              </a>
            </p>
          </div>
        );
      })}
    </section>
  );
}
