import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/errors';
import { fieldErrorsOf } from '../../api/field-errors';
import { useAsync } from '../../components/async';
import { MapPicker, type Point } from '../../components/map-picker';
import { useI18n } from '../../i18n';
import { useTown } from '../../town';
import type { Budget, BudgetProject } from './budget-types';

export interface ProjectFields {
  title: string;
  description: string;
  cost: string;
  districtId: string;
  location: Point | null;
}

export const EMPTY_PROJECT: ProjectFields = { title: '', description: '', cost: '', districtId: '', location: null };

export const fieldsOf = (p: BudgetProject): ProjectFields => ({ title: p.title, description: p.description, cost: String(p.cost), districtId: p.districtId ?? '', location: p.location ?? null });

/** The API's body: every field to propose; to change one, only what differs from `before`. */
export function projectBody(f: ProjectFields, before?: ProjectFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: f.title.trim(),
    description: f.description.trim(),
    cost: f.cost.trim() === '' ? undefined : Number(f.cost),
    ...(f.districtId ? { districtId: f.districtId } : {}),
    ...(f.location ? { location: f.location } : {}),
  };
  if (!before) return body;
  const previous = projectBody(before);
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(previous[k])));
}

const FIELDS = ['title', 'description', 'cost', 'districtId', 'location', 'location.lat', 'location.lng'];

/**
 * A project's fields, to propose one or change one's own: title, description, estimated cost, the
 * heading (town-wide, a district with its own amount, or — with a place — the place's district),
 * and a place on the town's map. The API's refusals are shown beside the field they name.
 */
export function ProjectForm(props: { budget: Budget; initial: ProjectFields; idPrefix: string; submitLabel: string; onSubmit: (fields: ProjectFields) => Promise<void>; onCancel?: () => void }) {
  const { t, locale } = useI18n();
  const town = useTown();
  const [fields, setFields] = useState<ProjectFields>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headings = props.budget.districtAmounts.map((h) => h.districtId);
  const setup = useAsync(async () => {
    if (!town) return { boundary: null, districts: [] };
    const [municipality, districts] = await Promise.all([
      api.GET('/api/v1/municipalities/{slug}', { params: { path: { slug: town.slug } } }).then(unwrap),
      headings.length ? api.GET('/api/v1/municipalities/{slug}/districts', { params: { path: { slug: town.slug } } }).then(unwrap) : Promise.resolve({ items: [] }),
    ]);
    return { boundary: municipality.boundary ?? null, districts: districts.items };
  }, [town?.slug, headings.join()]);
  const set = (change: Partial<ProjectFields>) => setFields((f) => ({ ...f, ...change }));
  const id = (field: string) => `${props.idPrefix}-${field}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      await props.onSubmit(fields);
    } catch (error) {
      const byField = fieldErrorsOf(error);
      if (byField['location.lat'] || byField['location.lng']) byField.location = byField['location.lat'] ?? byField['location.lng'];
      setErrors(byField);
      setFailure(Object.keys(byField).some((f) => FIELDS.includes(f)) ? t('budgetSettings.fix') : describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const described = (field: string) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${id(field)}-error` } : {});
  const error = (field: string) =>
    errors[field] && (
      <p id={`${id(field)}-error`} class="field-error" data-testid={`${props.idPrefix}-error-${field}`}>
        {errors[field]}
      </p>
    );
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid={`${props.idPrefix}-form`}>
      <div class="field">
        <label for={id('name')}>{t('propose.name')}</label>
        <input id={id('name')} maxLength={150} value={fields.title} onInput={(e) => set({ title: (e.currentTarget as HTMLInputElement).value })} {...described('title')} />
        {error('title')}
      </div>
      <div class="field">
        <label for={id('description')}>{t('propose.description')}</label>
        <textarea id={id('description')} rows={4} maxLength={5000} value={fields.description} onInput={(e) => set({ description: (e.currentTarget as HTMLTextAreaElement).value })} {...described('description')} />
        {error('description')}
      </div>
      <div class="field">
        <label for={id('cost')}>{t('propose.cost', { currency: props.budget.currency })}</label>
        <input id={id('cost')} type="number" inputMode="numeric" min={1} step={1} value={fields.cost} onInput={(e) => set({ cost: (e.currentTarget as HTMLInputElement).value })} {...described('cost')} />
        {error('cost')}
      </div>
      {setup.data && (
        <div class="field">
          <p id={id('place-hint')}>{t('propose.place')}</p>
          <MapPicker value={fields.location} boundary={setup.data.boundary} label={t('propose.place')} onPick={(location) => set({ location })} />
          {fields.location && (
            <p class="muted" data-testid={`${props.idPrefix}-place`}>
              {t('propose.placeChosen', { lat: fields.location.lat.toFixed(5), lng: fields.location.lng.toFixed(5) })}{' '}
              {!props.initial.location && (
                <button type="button" onClick={() => set({ location: null })}>
                  {t('propose.placeClear')}
                </button>
              )}
            </p>
          )}
          {error('location')}
        </div>
      )}
      {headings.length > 0 && (
        <div class="field">
          <label for={id('heading')}>{t('propose.heading')}</label>
          <select id={id('heading')} value={fields.districtId} onChange={(e) => set({ districtId: (e.currentTarget as HTMLSelectElement).value })} {...described('districtId')}>
            <option value="">{fields.location ? t('propose.headingFromPlace') : t('budgetResults.heading.town')}</option>
            {headings.map((h) => {
              const d = setup.data?.districts.find((x) => x.id === h);
              return (
                <option key={h} value={h}>
                  {d ? (locale === 'en' ? d.nameEn : d.nameFr) : h.slice(0, 8)}
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
      <button type="submit" disabled={busy}>
        {props.submitLabel}
      </button>{' '}
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          {t('budgetSettings.cancel')}
        </button>
      )}
    </form>
  );
}
