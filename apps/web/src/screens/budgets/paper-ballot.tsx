import { useState } from 'preact/hooks';
import { api, ApiError, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { type BallotChoice, BallotForm } from './ballot-form';
import type { Budget, BudgetProject } from './budget-types';

interface Resident {
  id: string;
  displayName: string;
}

/**
 * Staff entering a paper ballot (town hall, third places): find the resident among the town's
 * verified residents by a fragment of name or address (the API's staff search, audited; id and
 * name only), pick them, then the resident's ballot form with its rule and running total; the API
 * checks the same rules and refuses a resident who has already voted (online or on paper).
 */
export function PaperBallot({ budget, slug, projects }: { budget: Budget; slug: string; projects: BudgetProject[] }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ items: Resident[]; more: boolean } | null>(null);
  const [resident, setResident] = useState<Resident | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const find = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    setResident(null);
    setMatches(null);
    try {
      setMatches(unwrap(await api.POST('/api/v1/municipalities/{slug}/residents/search', { params: { path: { slug } }, body: { q: query.trim() } })));
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  const cast = async (who: Resident, choice: BallotChoice): Promise<string> => {
    try {
      const receipt = unwrap(await api.POST('/api/v1/budgets/{id}/paper-ballots', { params: { path: { id: budget.id } }, body: { residentId: who.id, ...choice } })) as unknown as { receipt: string };
      return receipt.receipt;
    } catch (failure) {
      // The API's own text speaks to the voter ("you have already voted"); staff are told whose ballot it was.
      if (failure instanceof ApiError && failure.code === 'BUDGET_ALREADY_VOTED') throw new Error(t('paperBallot.alreadyVoted', { name: who.displayName }));
      throw failure;
    }
  };

  return (
    <section aria-labelledby="paper-title" data-testid="paper-ballot">
      <h2 id="paper-title">{t('paperBallot.title')}</h2>
      <p class="muted">{t('paperBallot.hint')}</p>
      <form class="filters-inline" onSubmit={(e) => void find(e)}>
        <label>
          {t('paperBallot.search')}
          <input type="search" required minLength={3} maxLength={100} autoComplete="off" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('paperBallot.find')}</button>
      </form>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" class="notice" data-testid="paper-done">
          {done}
        </p>
      )}
      {matches && !resident && (
        <div data-testid="paper-matches">
          <p role="status">{matches.items.length === 0 ? t('paperBallot.noMatch') : matches.more ? t('paperBallot.more') : t('paperBallot.pick')}</p>
          <ul class="list">
            {matches.items.map((r) => (
              <li key={r.id} class="item">
                <button type="button" onClick={() => setResident(r)}>
                  {r.displayName}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {resident && (
        <div data-testid="paper-form">
          <h3>{t('paperBallot.found', { name: resident.displayName })}</h3>
          <BallotForm
            key={resident.id}
            budget={budget}
            projects={projects}
            cast={(choice) => cast(resident, choice)}
            onCast={() => {
              setDone(t('paperBallot.done', { name: resident.displayName }));
              setResident(null);
              setMatches(null);
              setQuery('');
            }}
          />
        </div>
      )}
    </section>
  );
}
