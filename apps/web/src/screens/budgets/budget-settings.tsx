import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { fieldErrorsOf } from '../../api/field-errors';
import { Failure, Loading, useAsync } from '../../components/async';
import { Link } from '../../components/link';
import { useI18n } from '../../i18n';
import { navigate, ROUTES } from '../../router';
import { useTown } from '../../town';
import {
  ADD1_VARIANTS,
  bodyOf,
  type BudgetSettings,
  changesOf,
  emptyForm,
  formOf,
  OUTCOME_RULES,
  RULE_KINDS,
  type SettingsForm,
} from './budget-settings-model';
import { BudgetHeadings } from './budget-headings';
import { localized } from './budget-types';

type Errors = Record<string, string>;

/** A labelled control with the API's error for `field` beside it (announced, and tied to the control). */
function Field({ field, label, errors, children }: { field: string; label: string; errors: Errors; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ComponentChildren }) {
  const id = `budget-${field.replace(/\W/g, '-')}`;
  const error = errors[field];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}) })}
      {error && (
        <p id={`${id}-error`} class="field-error" data-testid={`error-${field}`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A budget's settings, to create one (`budgetId` absent) or change it: texts in both languages,
 * amount and currency, the districts' own amounts (headings), the ballot rule and its figures,
 * the outcome rule, who may vote, the three phase end dates. Changing sends only what differs;
 * the API says which field is wrong or fixed by the phase, and that is shown beside it.
 */
function SettingsEditor({ budget, slug, onSaved }: { budget: BudgetSettings | null; slug: string; onSaved: (b: BudgetSettings) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<SettingsForm>(() => (budget ? formOf(budget) : emptyForm()));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const districts = useAsync(async () => unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug } } })).items, [slug]);
  useEffect(() => {
    if (budget) setForm(formOf(budget));
  }, [budget]);

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: keyof SettingsForm) => ({ value: form[key] as string, onInput: (e: Event) => set(key, (e.currentTarget as HTMLInputElement).value as never) });
  const fixed = budget ? ['voting', 'tallying', 'finished'].includes(budget.phase) : false;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    setStatus(null);
    try {
      if (budget) {
        const changes = changesOf(form, budget);
        if (Object.keys(changes).length === 0) return setStatus(t('budgetSettings.nothing'));
        const saved = unwrap(await api.PATCH('/api/v1/budgets/{id}', { params: { path: { id: budget.id } }, body: changes as never })) as unknown as BudgetSettings;
        setStatus(t('budgetSettings.saved'));
        onSaved(saved);
      } else {
        const created = unwrap(await api.POST('/api/v1/municipalities/{slug}/budgets', { params: { path: { slug } }, body: bodyOf(form) as never })) as unknown as BudgetSettings;
        onSaved(created);
      }
    } catch (error) {
      const byField = fieldErrorsOf(error);
      setErrors(byField);
      setFailure(Object.keys(byField).length ? t('budgetSettings.fix') : describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const rule = form.ruleKind;
  const number = (field: string, key: keyof SettingsForm, label: string, min = 0) => (
    <Field field={field} label={label} errors={errors}>
      {(p) => <input {...p} type="number" inputMode="numeric" min={min} step={1} {...text(key)} />}
    </Field>
  );
  const date = (key: 'proposingEndsAt' | 'reviewingEndsAt' | 'votingEndsAt') => (
    <Field field={key} label={t(`budgetSettings.${key}`)} errors={errors}>
      {(p) => <input {...p} type="datetime-local" required {...text(key)} />}
    </Field>
  );

  return (
    <form onSubmit={(e) => void save(e)} class="budget-settings" data-testid="budget-settings" noValidate>
      <fieldset>
        <legend>{t('budgetSettings.texts')}</legend>
        <Field field="title.fr" label={t('budgetSettings.titleFr')} errors={errors}>{(p) => <input {...p} maxLength={5000} {...text('titleFr')} />}</Field>
        <Field field="title.en" label={t('budgetSettings.titleEn')} errors={errors}>{(p) => <input {...p} maxLength={5000} {...text('titleEn')} />}</Field>
        <Field field="description.fr" label={t('budgetSettings.descriptionFr')} errors={errors}>{(p) => <textarea {...p} rows={3} maxLength={5000} {...text('descriptionFr')} />}</Field>
        <Field field="description.en" label={t('budgetSettings.descriptionEn')} errors={errors}>{(p) => <textarea {...p} rows={3} maxLength={5000} {...text('descriptionEn')} />}</Field>
      </fieldset>
      <fieldset>
        <legend>{t('budgetSettings.money')}</legend>
        {fixed && <p class="muted">{t('budgetSettings.fixedOnceVoting')}</p>}
        {number('amount', 'amount', t('budgetSettings.amount'), 1)}
        <Field field="currency" label={t('budgetSettings.currency')} errors={errors}>{(p) => <input {...p} maxLength={3} size={4} {...text('currency')} />}</Field>
        {districts.data && districts.data.length > 0 && (
          <BudgetHeadings
            districts={districts.data}
            form={form}
            errors={errors}
            onAmount={(districtId, amount) => set('districtAmounts', { ...form.districtAmounts, [districtId]: amount })}
            onRule={(districtId, rule) => set('headingRules', { ...form.headingRules, [districtId]: rule })}
          />
        )}
      </fieldset>
      <fieldset>
        <legend>{t('budgetSettings.rules')}</legend>
        <Field field="ballotRule.kind" label={t('budgetSettings.ruleKind')} errors={errors}>
          {(p) => (
            <select {...p} value={rule} onChange={(e) => set('ruleKind', (e.currentTarget as HTMLSelectElement).value as SettingsForm['ruleKind'])}>
              {RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`budgetSettings.rule.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {rule === 'approval' && number('ballotRule.maxProjects', 'maxProjects', t('budgetSettings.maxProjects'), 1)}
        {rule === 'approval' && number('ballotRule.minProjects', 'minProjects', t('budgetSettings.minProjects'))}
        {rule === 'knapsack' && number('ballotRule.minSharePercent', 'minSharePercent', t('budgetSettings.minSharePercent'))}
        {rule === 'cumulative' && number('ballotRule.points', 'points', t('budgetSettings.points'), 1)}
        {rule === 'cumulative' && number('ballotRule.maxPerProject', 'maxPerProject', t('budgetSettings.maxPerProject'), 1)}
        {rule === 'ordinal' && number('ballotRule.ranks', 'ranks', t('budgetSettings.ranks'), 1)}
        <Field field="outcomeRule" label={t('budgetSettings.outcomeRule')} errors={errors}>
          {(p) => (
            <select {...p} value={form.outcomeRule} onChange={(e) => set('outcomeRule', (e.currentTarget as HTMLSelectElement).value as SettingsForm['outcomeRule'])}>
              {OUTCOME_RULES.map((k) => (
                <option key={k} value={k}>
                  {t(`budget.outcome.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.outcomeRule === 'equal-shares' && (
          <Field field="add1" label={t('budgetSettings.add1')} errors={errors}>
            {(p) => (
              <select {...p} value={form.add1} onChange={(e) => set('add1', (e.currentTarget as HTMLSelectElement).value as SettingsForm['add1'])}>
                {ADD1_VARIANTS.map((k) => (
                  <option key={k} value={k}>
                    {t(`budgetSettings.add1.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('budgetSettings.eligibility')}</legend>
        <label class="inline">
          <input type="checkbox" checked={form.byDistrict} onChange={(e) => set('byDistrict', (e.currentTarget as HTMLInputElement).checked)} /> {t('budgetSettings.byDistrict')}
        </label>
        {number('eligibility.minimumAge', 'minimumAge', t('budgetSettings.minimumAge'))}
      </fieldset>
      <fieldset>
        <legend>{t('budgetSettings.phases')}</legend>
        {date('proposingEndsAt')}
        {date('reviewingEndsAt')}
        {date('votingEndsAt')}
      </fieldset>
      {failure && (
        <p role="alert" class="notice notice-error">
          {failure}
        </p>
      )}
      {status && (
        <p role="status" class="notice">
          {status}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {budget ? t('budgetSettings.save') : t('budgetSettings.create')}
      </button>
    </form>
  );
}

/** Moving the budget to its next phase now (admins), before its end date. */
function AdvancePhase({ budget, onMoved }: { budget: BudgetSettings; onMoved: (b: BudgetSettings) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (budget.phase === 'finished' || budget.phase === 'tallying') return null;
  const advance = async () => {
    setError(null);
    try {
      onMoved(unwrap(await api.POST('/api/v1/budgets/{id}/advance', { params: { path: { id: budget.id } } })) as unknown as BudgetSettings);
      setConfirming(false);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };
  return (
    <section aria-labelledby="advance-title" data-testid="advance">
      <h2 id="advance-title">{t('budgetSettings.advanceTitle')}</h2>
      <p class="muted">{t(`budgetSettings.advanceHint.${budget.phase}`)}</p>
      {confirming ? (
        <p>
          <button type="button" onClick={() => void advance()}>
            {t('budgetSettings.advanceConfirm')}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            {t('budgetSettings.cancel')}
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('budgetSettings.advance')}
        </button>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** Admins: a new budget for the chosen town; once created, its settings page. */
export function NewBudgetScreen() {
  const { t } = useI18n();
  const town = useTown();
  if (!town) return <Link href={ROUTES.town}>{t('budgetSettings.chooseTown')}</Link>;
  return (
    <section class="card" aria-labelledby="new-budget-title">
      <h1 id="new-budget-title">{t('budgetSettings.newTitle', { town: town.name })}</h1>
      <SettingsEditor budget={null} slug={town.slug} onSaved={(b) => navigate(ROUTES.budgetSettings(b.id))} />
    </section>
  );
}

/** Admins: a budget's settings and its phase. */
export function BudgetSettingsScreen({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const budget = useAsync(async () => unwrap(await api.GET('/api/v1/budgets/{id}', { params: { path: { id } } })) as unknown as BudgetSettings, [id]);
  if (budget.error != null) return <Failure error={budget.error} onRetry={budget.reload} />;
  if (!budget.data || !town) return <Loading />;
  const b = budget.data;
  return (
    <section class="card" aria-labelledby="budget-settings-title">
      <h1 id="budget-settings-title">{t('budgetSettings.title', { title: localized(b.title, locale) })}</h1>
      <p>
        <span class="badge" data-testid="settings-phase">
          {t(`budget.phase.${b.phase}`)}
        </span>{' '}
        · <Link href={ROUTES.budget(id)}>{t('review.public')}</Link> · <Link href={ROUTES.budgetReview(id)}>{t('review.link')}</Link>
      </p>
      <AdvancePhase budget={b} onMoved={(moved) => budget.set(() => moved)} />
      <SettingsEditor budget={b} slug={town.slug} onSaved={(saved) => budget.set(() => saved)} />
    </section>
  );
}
