import { useI18n } from '../../i18n';
import { NO_HEADING_RULE, RULE_KINDS, type HeadingRuleForm, type RuleFigures, type SettingsForm } from './budget-settings-model';

/** Which figures each ballot kind asks for, with their labels' keys. */
const FIGURES: Record<HeadingRuleForm['kind'], Array<keyof RuleFigures>> = {
  '': [],
  approval: ['maxProjects', 'minProjects'],
  knapsack: ['minSharePercent'],
  cumulative: ['points', 'maxPerProject'],
  ordinal: ['ranks'],
};

/**
 * The districts' own headings: each district's amount (empty: no heading) and, for a heading, its
 * own ballot rule or the budget's. The API names a heading's errors by its place in the list it
 * was sent (`districtAmounts.0.ballotRule.points`): the same order as here, headings with an amount.
 */
export function BudgetHeadings(props: {
  districts: Array<{ id: string; nameFr: string; nameEn: string }>;
  form: SettingsForm;
  errors: Record<string, string>;
  onAmount: (districtId: string, amount: string) => void;
  onRule: (districtId: string, rule: HeadingRuleForm) => void;
}) {
  const { t, locale } = useI18n();
  const { form, errors } = props;
  const sent = Object.entries(form.districtAmounts)
    .filter(([, amount]) => amount.trim() !== '')
    .map(([id]) => id);
  const shownBeside = new Set<string>();
  const fieldError = (field: string, id: string) => {
    const message = errors[field];
    if (!message) return {};
    shownBeside.add(field);
    return { message, props: { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } };
  };
  const rows = props.districts.map((d) => {
    const name = locale === 'en' ? d.nameEn : d.nameFr;
    const amount = form.districtAmounts[d.id] ?? '';
    const rule = form.headingRules[d.id] ?? NO_HEADING_RULE;
    const at = `districtAmounts.${sent.indexOf(d.id)}`;
    const kindError = fieldError(`${at}.ballotRule`, `heading-rule-${d.id}`);
    return (
      <div key={d.id} class="heading" data-testid={`heading-${d.id}`}>
        <div class="field">
          <label for={`heading-${d.id}`}>{t('budgetSettings.headingAmount', { name })}</label>
          <input id={`heading-${d.id}`} type="number" inputMode="numeric" min={1} step={1} value={amount} onInput={(e) => props.onAmount(d.id, (e.currentTarget as HTMLInputElement).value)} />
        </div>
        {amount.trim() !== '' && (
          <div class="field">
            <label for={`heading-rule-${d.id}`}>{t('budgetSettings.headingRule', { name })}</label>
            <select id={`heading-rule-${d.id}`} value={rule.kind} onChange={(e) => props.onRule(d.id, { ...rule, kind: (e.currentTarget as HTMLSelectElement).value as HeadingRuleForm['kind'] })} {...kindError.props}>
              <option value="">{t('budgetSettings.headingRule.same')}</option>
              {RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`budgetSettings.rule.${k}`)}
                </option>
              ))}
            </select>
            {kindError.message && (
              <p id={`heading-rule-${d.id}-error`} class="field-error" data-testid={`error-${at}.ballotRule`}>
                {kindError.message}
              </p>
            )}
          </div>
        )}
        {amount.trim() !== '' &&
          FIGURES[rule.kind].map((figure) => {
            const id = `heading-${figure}-${d.id}`;
            const error = fieldError(`${at}.ballotRule.${figure}`, id);
            return (
              <div class="field" key={figure}>
                <label for={id}>{t('budgetSettings.headingFigure', { figure: t(`budgetSettings.${figure}`), name })}</label>
                <input id={id} type="number" inputMode="numeric" min={0} step={1} value={rule[figure]} onInput={(e) => props.onRule(d.id, { ...rule, [figure]: (e.currentTarget as HTMLInputElement).value })} {...error.props} />
                {error.message && (
                  <p id={`${id}-error`} class="field-error" data-testid={`error-${at}.ballotRule.${figure}`}>
                    {error.message}
                  </p>
                )}
              </div>
            );
          })}
      </div>
    );
  });
  const others = Object.entries(errors).filter(([field]) => field.startsWith('districtAmounts') && !shownBeside.has(field));
  return (
    <fieldset data-testid="headings">
      <legend>{t('budgetSettings.headings')}</legend>
      <p class="muted">{t('budgetSettings.headingsHint')}</p>
      {rows}
      {others.map(([field, message]) => (
        <p key={field} class="field-error" data-testid="error-districtAmounts">
          {message}
        </p>
      ))}
    </fieldset>
  );
}
