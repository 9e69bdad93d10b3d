import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { BallotForm } from './ballot-form';
import type { Budget, BudgetProject } from './budget-types';

/**
 * Replacing a cast ballot: the API lets whoever holds the receipt (and has voted) cast a new
 * ballot until voting closes; the old one stops counting and a new receipt replaces it. The rule
 * is said first; the receipt is filled in when this device just showed it, typed otherwise
 * (it is never stored on the device: it is the ballot's only key).
 */
export function ReplaceBallot({
  budget,
  projects,
  receipt,
  open,
  setOpen,
  onReplaced,
}: {
  budget: Budget;
  projects: BudgetProject[];
  receipt: string | null;
  /** The page shows one ballot form at a time: the first one is hidden while this one is open. */
  open: boolean;
  setOpen: (open: boolean) => void;
  onReplaced: (receipt: string) => void;
}) {
  const { t, locale } = useI18n();
  const [typed, setTyped] = useState(receipt ?? '');
  const closes = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(budget.votingEndsAt));
  const replace = async (choice: { projects: string[]; points?: number[] }) => {
    const answer = unwrap(await api.POST('/api/v1/budgets/{id}/ballot/replace', { params: { path: { id: budget.id } }, body: { receipt: typed.trim(), ...choice } })) as unknown as { receipt: string };
    return answer.receipt;
  };
  return (
    <section aria-labelledby="replace-title" data-testid="replace-ballot">
      <h2 id="replace-title">{t('replace.title')}</h2>
      <p data-testid="replace-rule">{t('replace.rule', { date: closes })}</p>
      {!open ? (
        <button type="button" onClick={() => (setTyped(receipt ?? ''), setOpen(true))}>
          {t('replace.open')}
        </button>
      ) : (
        <>
          <div class="field">
            <label for="replace-receipt">{t('replace.receipt')}</label>
            <input id="replace-receipt" autoComplete="off" maxLength={64} value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="button" onClick={() => setOpen(false)}>
            {t('budgetSettings.cancel')}
          </button>
          <BallotForm
            budget={budget}
            projects={projects}
            cast={replace}
            submitLabel={t('replace.submit')}
            onCast={(next) => {
              setOpen(false);
              onReplaced(next);
            }}
          />
        </>
      )}
    </section>
  );
}
