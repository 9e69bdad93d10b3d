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
 * Staff entering a paper ballot (town hall, third places): find the resident by exact email (the
 * API's people lookup, audited), then the resident's ballot form with its rule and running total;
 * the API checks the same rules and refuses a resident who has already voted (online or on paper).
 */
export function PaperBallot({ budget, slug, projects }: { budget: Budget; slug: string; projects: BudgetProject[] }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [resident, setResident] = useState<Resident | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const find = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    setResident(null);
    try {
      const person = unwrap(await api.POST('/api/v1/municipalities/{slug}/people/lookup', { params: { path: { slug } }, body: { email: email.trim() } }));
      if (!person.residentSince) setError(t('paperBallot.notResident'));
      else setResident({ id: person.id, displayName: person.displayName });
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
          {t('paperBallot.email')}
          <input type="email" required maxLength={320} autoComplete="off" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
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
              setEmail('');
            }}
          />
        </div>
      )}
    </section>
  );
}
