import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../api/use-session';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { subscribe } from '../../realtime/socket';
import { ROUTES } from '../../router';
import { useTown } from '../../town';
import { BallotForm } from './ballot-form';
import { BudgetOutcome } from './budget-outcome';
import { MyProjects } from './my-projects';
import { ProposeProject } from './propose-project';
import { ReplaceBallot } from './replace-ballot';
import { type Budget, type BudgetProject, type BudgetResults, localized, money } from './budget-types';

/** SHA-256 of a receipt as the server publishes it (hex), computed on the device. */
async function receiptHash(receipt: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(receipt));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** After the close: is my receipt among the counted ballots? Nothing about who cast it is asked. */
function ReceiptCheck({ budgetId }: { budgetId: string }) {
  const { t } = useI18n();
  const [receipt, setReceipt] = useState('');
  const [answer, setAnswer] = useState<'counted' | 'missing' | null>(null);
  async function check(event: Event) {
    event.preventDefault();
    const hashes = unwrap(await api.GET('/api/v1/budgets/{id}/receipts', { params: { path: { id: budgetId } } })) as unknown as { receiptHashes: string[] };
    const published = hashes.receiptHashes;
    setAnswer(published.includes(await receiptHash(receipt.trim())) ? 'counted' : 'missing');
  }
  return (
    <form onSubmit={(e) => void check(e)}>
      <label>
        {t('budget.receipt')} <input value={receipt} onInput={(e) => setReceipt((e.currentTarget as HTMLInputElement).value)} />
      </label>{' '}
      <button type="submit">{t('budget.checkReceipt')}</button>
      {answer && (
        <p role="status" data-testid="receipt-answer">
          {answer === 'counted' ? t('budget.receiptCounted') : t('budget.receiptMissing')}
        </p>
      )}
    </form>
  );
}

/** A budget: its phase, its projects, the ballot while voting is open, then the results. */
export function BudgetPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const budget = useAsync(async () => unwrap(await api.GET('/api/v1/budgets/{id}', { params: { path: { id } } })) as unknown as Budget, [id]);
  const projects = useAsync(
    async () => (unwrap(await api.GET('/api/v1/budgets/{id}/projects', { params: { path: { id }, query: { limit: 100 } } })) as unknown as { items: BudgetProject[] }).items,
    [id],
  );
  const finished = budget.data?.phase === 'finished';
  const results = useAsync(async () => (finished ? (unwrap(await api.GET('/api/v1/budgets/{id}/results', { params: { path: { id } } })) as unknown as BudgetResults) : null), [id, finished]);
  const [turnout, setTurnout] = useState<number | null>(null);
  const [receipt, setReceipt] = useState<string | null>(null);
  const [replacing, setReplacing] = useState(false);
  const [replaced, setReplaced] = useState(false);
  const [proposedCount, setProposedCount] = useState(0);

  useEffect(
    () =>
      subscribe(`budget:${id}`, (event) => {
        const data = event.data as { phase?: Budget['phase']; turnout?: { ballots: number } } | null;
        if (data?.turnout) setTurnout(data.turnout.ballots);
        if (data?.phase && data.phase !== budget.data?.phase) budget.reload();
      }),
    [id, budget.data?.phase],
  );

  if (budget.error) return <Failure error={budget.error} onRetry={budget.reload} />;
  if (!budget.data || !projects.data) return <Loading />;
  const b = budget.data;
  const onBallot = projects.data.filter((p) => p.status === 'on_ballot');
  const selected = new Set(results.data?.result.selected ?? []);
  return (
    <section class="card" aria-labelledby="budget-title">
      <h1 id="budget-title">{localized(b.title, locale)}</h1>
      <p>{localized(b.description, locale)}</p>
      <p>
        <span class="badge" data-testid="budget-phase">
          {t(`budget.phase.${b.phase}`)}
        </span>{' '}
        {money(b.amount, b.currency, locale)} · {t(`budget.outcome.${b.outcomeRule}`)}
      </p>
      {session && (
        <p class="wide-only">
          <Link href={ROUTES.budgetReview(b.id)}>{t('review.link')}</Link> · <Link href={ROUTES.budgetSettings(b.id)}>{t('budgetSettings.link')}</Link>
        </p>
      )}
      {turnout !== null && <p role="status">{t('budget.turnout', { count: turnout })}</p>}
      {receipt && (
        <div class="notice" role="status" data-testid="receipt">
          <p>{replaced ? t('replace.done') : t('budget.voted')}</p>
          <p>
            {t('budget.receipt')} <code>{receipt}</code>
          </p>
        </div>
      )}
      {b.phase === 'voting' && !receipt && !replacing && (session ? <BallotForm budget={b} projects={onBallot} onCast={setReceipt} /> : <Link href={ROUTES.signIn}>{t('budget.signInToVote')}</Link>)}
      {b.phase === 'voting' && session && (
        <ReplaceBallot
          budget={b}
          projects={onBallot}
          receipt={receipt}
          open={replacing}
          setOpen={setReplacing}
          onReplaced={(next) => {
            setReplaced(true);
            setReceipt(next);
          }}
        />
      )}
      {b.phase === 'proposing' &&
        (session ? (
          <>
            <MyProjects
              budget={b}
              refreshKey={proposedCount}
              onChanged={(p) => projects.set((list) => (p.status === 'withdrawn' ? (list ?? []).filter((x) => x.id !== p.id) : (list ?? []).map((x) => (x.id === p.id ? p : x))))}
            />
            <ProposeProject
              budget={b}
              onProposed={(p) => {
                projects.set((list) => [...(list ?? []), p]);
                setProposedCount((n) => n + 1);
              }}
            />
          </>
        ) : (
          <Link href={ROUTES.signIn}>{t('propose.signIn')}</Link>
        ))}
      {finished && results.data && (
        <>
          <h2>{t('budget.results', { count: results.data.result.ballots })}</h2>
          <ol data-testid="results">
            {results.data.result.selected.map((pid) => {
              const p = projects.data!.find((x) => x.id === pid);
              return <li key={pid}>{p ? `${p.title} — ${money(p.cost, b.currency, locale)}` : pid}</li>;
            })}
          </ol>
          {results.data.result.headings && <BudgetOutcome budget={b} headings={results.data.result.headings} projects={projects.data} />}
          <ReceiptCheck budgetId={b.id} />
        </>
      )}
      {b.phase !== 'voting' && (
        <>
          <h2>{t('budget.projects')}</h2>
          <ul class="list" data-testid="budget-projects">
            {projects.data.map((p) => (
              <li key={p.id} class={`item${selected.has(p.id) ? ' selected' : ''}`}>
                <strong>{p.title}</strong> — {money(p.cost, b.currency, locale)} <span class="badge">{t(`budget.status.${p.status}`)}</span>
                <p class="muted">{p.description}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The chosen town's participatory budgets. */
export function BudgetListScreen() {
  const { t, locale } = useI18n();
  const town = useTown();
  const session = useSession();
  const budgets = useAsync(
    async () => (town ? (unwrap(await api.GET('/api/v1/municipalities/{slug}/budgets', { params: { path: { slug: town.slug } } })) as unknown as { items: Budget[] }).items : []),
    [town?.slug],
  );
  return (
    <section class="card" aria-labelledby="budgets-title">
      <h1 id="budgets-title">{t('budget.listTitle')}</h1>
      {session && town && (
        <p class="wide-only">
          <Link href={ROUTES.newBudget}>{t('budgetSettings.newLink')}</Link>
        </p>
      )}
      {budgets.loading && !budgets.data && <Loading />}
      {budgets.error != null && <Failure error={budgets.error} onRetry={budgets.reload} />}
      {budgets.data?.length === 0 && <p>{t('budget.none')}</p>}
      <ul class="list" data-testid="budgets">
        {budgets.data?.map((b) => (
          <li key={b.id} class="item">
            <Link href={ROUTES.budget(b.id)}>{localized(b.title, locale)}</Link> <span class="badge">{t(`budget.phase.${b.phase}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
