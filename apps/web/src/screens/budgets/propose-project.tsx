import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { fieldErrorsOf } from '../../api/field-errors';
import { useAsync } from '../../components/async';
import { useI18n } from '../../i18n';
import { useTown } from '../../town';
import type { Budget, BudgetProject } from './budget-types';

/**
 * A verified resident proposes a project while the budget takes them: title, description, an
 * estimated cost, and the heading (town-wide, or one of the districts with an amount of their own).
 * The API's refusals (not a resident, a field out of bounds) are shown beside the field at fault.
 */
export function ProposeProject({ budget, onProposed }: { budget: Budget; onProposed: (p: BudgetProject) => void }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [cost, setCost] = useState('');
  const [districtId, setDistrictId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headings = budget.districtAmounts.map((h) => h.districtId);
  const districts = useAsync(
    async () => (town && headings.length ? unwrap(await api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: town.slug } } })).items : []),
    [town?.slug, headings.join()],
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    setDone(null);
    try {
      const body = { title: title.trim(), description: description.trim(), cost: cost.trim() === '' ? undefined : Number(cost), ...(districtId ? { districtId } : {}) };
      const project = unwrap(await api.POST('/api/v1/budgets/{id}/projects', { params: { path: { id: budget.id } }, body: body as never })) as unknown as BudgetProject;
      onProposed(project);
      setDone(t('propose.done', { title: project.title }));
      setTitle('');
      setDescription('');
      setCost('');
    } catch (error) {
      const byField = fieldErrorsOf(error);
      setErrors(byField);
      setFailure(Object.keys(byField).some((f) => ['title', 'description', 'cost', 'districtId'].includes(f)) ? t('budgetSettings.fix') : describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const described = (field: string) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `propose-${field}-error` } : {});
  const error = (field: string) =>
    errors[field] && (
      <p id={`propose-${field}-error`} class="field-error" data-testid={`propose-error-${field}`}>
        {errors[field]}
      </p>
    );
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="propose-title" data-testid="propose-project" noValidate>
      <h2 id="propose-title">{t('propose.title')}</h2>
      <p class="muted">{t('propose.hint')}</p>
      <div class="field">
        <label for="propose-name">{t('propose.name')}</label>
        <input id="propose-name" maxLength={150} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} {...described('title')} />
        {error('title')}
      </div>
      <div class="field">
        <label for="propose-description">{t('propose.description')}</label>
        <textarea id="propose-description" rows={4} maxLength={5000} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} {...described('description')} />
        {error('description')}
      </div>
      <div class="field">
        <label for="propose-cost">{t('propose.cost', { currency: budget.currency })}</label>
        <input id="propose-cost" type="number" inputMode="numeric" min={1} step={1} value={cost} onInput={(e) => setCost((e.currentTarget as HTMLInputElement).value)} {...described('cost')} />
        {error('cost')}
      </div>
      {headings.length > 0 && (
        <div class="field">
          <label for="propose-heading">{t('propose.heading')}</label>
          <select id="propose-heading" value={districtId} onChange={(e) => setDistrictId((e.currentTarget as HTMLSelectElement).value)} {...described('districtId')}>
            <option value="">{t('budgetResults.heading.town')}</option>
            {headings.map((id) => {
              const d = districts.data?.find((x) => x.id === id);
              return (
                <option key={id} value={id}>
                  {d ? (locale === 'en' ? d.nameEn : d.nameFr) : id.slice(0, 8)}
                </option>
              );
            })}
          </select>
          {error('districtId')}
        </div>
      )}
      {failure && (
        <p role="alert" class="notice notice-error">
          {failure}
        </p>
      )}
      {done && (
        <p role="status" class="notice" data-testid="propose-done">
          {done}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('propose.submit')}
      </button>
    </form>
  );
}
