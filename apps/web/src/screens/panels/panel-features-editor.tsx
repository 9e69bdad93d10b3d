import { useI18n } from '../../i18n';
import { emptyFeature, emptyValue, type FeatureDraft, type ValueDraft } from './panel-draft';

/** The API's field errors by path (`features.0.values.1.min`) → the message shown beside that field. */
export type FieldErrors = Record<string, string>;

const idOf = (path: string) => `panel-field-${path.replace(/\./g, '-')}`;

/** id, and when the API refused the field: aria-invalid and the message's id. */
export function fieldAttrs(errors: FieldErrors, path: string) {
  const id = idOf(path);
  return errors[path] ? { id, 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : { id };
}

export function FieldMessage({ errors, path }: { errors: FieldErrors; path: string }) {
  if (!errors[path]) return null;
  return (
    <p id={`${idOf(path)}-error`} class="field-error" data-field={path}>
      {errors[path]}
    </p>
  );
}

const input = (e: Event) => (e.currentTarget as HTMLInputElement).value;

/** One criterion's values: code, label, fewest and most seats; add and remove. */
function ValuesTable({ feature, f, errors, onChange }: { feature: FeatureDraft; f: number; errors: FieldErrors; onChange: (values: ValueDraft[]) => void }) {
  const { t } = useI18n();
  const set = (v: number, patch: Partial<ValueDraft>) => onChange(feature.values.map((value, i) => (i === v ? { ...value, ...patch } : value)));
  // The API names the share by its own field.
  const path = (v: number, key: keyof ValueDraft) => `features.${f}.values.${v}.${key === 'share' ? 'populationShare' : key}`;
  const cell = (v: number, key: keyof ValueDraft, label: string, numeric = false) => (
    <td>
      <input
        {...fieldAttrs(errors, path(v, key))}
        aria-label={t('panelEdit.valueField', { feature: f + 1, value: v + 1, field: label })}
        value={feature.values[v][key]}
        inputMode={numeric ? 'numeric' : undefined}
        size={numeric ? 4 : 12}
        onInput={(e) => set(v, { [key]: input(e) })}
      />
      <FieldMessage errors={errors} path={path(v, key)} />
    </td>
  );
  return (
    <div class="table-scroll">
      <table class="value-rows">
        <caption>{t('panelEdit.values', { feature: f + 1 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('panelEdit.code')}</th>
            <th scope="col">{t('panelEdit.label')}</th>
            <th scope="col">{t('panelEdit.min')}</th>
            <th scope="col">{t('panelEdit.max')}</th>
            <th scope="col">{t('panelEdit.share')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('panelEdit.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {feature.values.map((_, v) => (
            <tr key={v}>
              {cell(v, 'code', t('panelEdit.code'))}
              {cell(v, 'label', t('panelEdit.label'))}
              {cell(v, 'min', t('panelEdit.min'), true)}
              {cell(v, 'max', t('panelEdit.max'), true)}
              {cell(v, 'share', t('panelEdit.share'), true)}
              <td>
                <button type="button" class="link" disabled={feature.values.length <= 1} onClick={() => onChange(feature.values.filter((__, i) => i !== v))}>
                  {t('panelEdit.removeValue', { feature: f + 1, value: v + 1 })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldMessage errors={errors} path={`features.${f}.values`} />
      <button type="button" onClick={() => onChange([...feature.values, emptyValue()])}>
        {t('panelEdit.addValue', { feature: f + 1 })}
      </button>
    </div>
  );
}

/**
 * The demographic criteria that matter (age band, gender, district…), each with its values and
 * the seats each value must fill. Codes head the pool's CSV columns; labels are what people read.
 */
export function FeaturesEditor({ features, errors, onChange }: { features: FeatureDraft[]; errors: FieldErrors; onChange: (features: FeatureDraft[]) => void }) {
  const { t } = useI18n();
  const set = (f: number, patch: Partial<FeatureDraft>) => onChange(features.map((feature, i) => (i === f ? { ...feature, ...patch } : feature)));
  return (
    <div class="stack" data-testid="features-editor">
      <h2>{t('panelEdit.features')}</h2>
      <p class="muted">{t('panelEdit.featuresHint')}</p>
      <FieldMessage errors={errors} path="features" />
      {features.map((feature, f) => (
        <fieldset key={f} class="question">
          <legend>{t('panelEdit.feature', { feature: f + 1 })}</legend>
          <label>
            {t('panelEdit.featureCode', { feature: f + 1 })}
            <input {...fieldAttrs(errors, `features.${f}.code`)} value={feature.code} onInput={(e) => set(f, { code: input(e) })} />
          </label>
          <FieldMessage errors={errors} path={`features.${f}.code`} />
          <label>
            {t('panelEdit.featureLabel', { feature: f + 1 })}
            <input {...fieldAttrs(errors, `features.${f}.label`)} value={feature.label} onInput={(e) => set(f, { label: input(e) })} />
          </label>
          <FieldMessage errors={errors} path={`features.${f}.label`} />
          <ValuesTable feature={feature} f={f} errors={errors} onChange={(values) => set(f, { values })} />
          <button type="button" class="link" disabled={features.length <= 1} onClick={() => onChange(features.filter((_, i) => i !== f))}>
            {t('panelEdit.removeFeature', { feature: f + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...features, emptyFeature()])}>
        {t('panelEdit.addFeature')}
      </button>
    </div>
  );
}
