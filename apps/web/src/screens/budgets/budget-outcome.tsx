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
  projects: Array<{ id: string; cost: string; votes: number; selected: boolean; selectedBy?: 'equal-shares' | 'greedy-completion' | 'greedy' | null }>;
  /** Method of Equal Shares runs (Add1 raises the share and runs again). */
  mesRuns?: number;
  /** Equal shares only: exact fractions as the API stores them ("n" or "n/d"). */
  shares?: { perVoter: string; maxPayments: Array<{ id: string; payment: string }>; leftover: { money: string; votersWithNothing: number } } | null;
}

/** An exact amount ("n" or "n/d", currency units) for reading: to the cent, marked ≈ when rounded. */
function exactMoney(key: string, currency: string, locale: string): string {
  const [num, den = '1'] = key.split('/');
  const value = Number(BigInt(num) * 100n / BigInt(den)) / 100;
  const rounded = BigInt(num) * 100n % BigInt(den) !== 0n;
  const text = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency, minimumFractionDigits: Number.isInteger(value) && !rounded ? 0 : 2, maximumFractionDigits: 2 }).format(value);
  return rounded ? `≈ ${text}` : text;
}

/** The Method of Equal Shares' own figures of a heading: the share each voter held, the runs, what was left. */
function EqualSharesFigures({ heading, currency }: { heading: OutcomeHeading; currency: string }) {
  const { t, locale } = useI18n();
  const shares = heading.shares;
  if (!shares) return null;
  return (
    <dl class="mes-figures" data-testid="mes-figures">
      <dt>{t('mes.perVoter')}</dt>
      <dd data-testid="mes-per-voter">{exactMoney(shares.perVoter, currency, locale)}</dd>
      <dt>{t('mes.runs')}</dt>
      <dd data-testid="mes-runs">{heading.mesRuns ?? 0}</dd>
      <dt>{t('mes.leftover')}</dt>
      <dd data-testid="mes-leftover">{t('mes.leftoverFigures', { money: exactMoney(shares.leftover.money, currency, locale), voters: shares.leftover.votersWithNothing })}</dd>
    </dl>
  );
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
  const mes = budget.outcomeRule === 'equal-shares';
  // A selected project's maximal payment: the most any one of its supporters paid for it.
  const payment = (h: OutcomeHeading, id: string) => {
    const found = h.shares?.maxPayments.find((m) => m.id === id);
    return found ? exactMoney(found.payment, budget.currency, locale) : '—';
  };
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
            {mes && <EqualSharesFigures heading={h} currency={budget.currency} />}
            {/* Five columns do not fit a phone: the table scrolls on its own (focusable, so the keyboard can scroll it). */}
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={id}>
              <table aria-labelledby={id}>
                <thead>
                  <tr>
                    <th scope="col">{t('budgetResults.project')}</th>
                    <th scope="col" class="number">{t('budgetResults.votes')}</th>
                    <th scope="col" class="number">{t('budgetResults.cost')}</th>
                    <th scope="col">{t('budgetResults.selected')}</th>
                    {mes && <th scope="col" class="number">{t('mes.maxPayment')}</th>}
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
                        <td>{p.selected ? (mes && p.selectedBy ? t(`mes.by.${p.selectedBy}`) : t('budgetResults.yes')) : t('budgetResults.no')}</td>
                        {mes && <td class="number">{payment(h, p.id)}</td>}
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
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
