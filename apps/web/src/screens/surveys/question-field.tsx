import { useI18n } from '../../i18n';
import { type Answer, scaleValues, type SurveyQuestion } from './survey-model';

/** One question as a labelled fieldset; ranking by "move up/down" buttons (keyboard first). */
export function QuestionField({ q, value, error, onChange }: { q: SurveyQuestion; value: Answer | undefined; error?: string; onChange: (a: Answer | undefined) => void }) {
  const { t } = useI18n();
  const name = `q-${q.id}`;
  const list = Array.isArray(value) ? value : [];
  const legend = (
    <legend>
      {q.label}
      {q.required && <span class="muted"> {t('survey.required')}</span>}
      {q.type === 'multiple_choice' && q.max !== undefined && <span class="muted"> {t('survey.chooseUpTo', { max: q.max })}</span>}
    </legend>
  );
  const body = (() => {
    switch (q.type) {
      case 'single_choice':
        return q.options!.map((o) => (
          <label key={o.code} class="choice">
            <input type="radio" name={name} checked={value === o.code} onChange={() => onChange(o.code)} /> {o.label}
          </label>
        ));
      case 'multiple_choice':
        return q.options!.map((o) => (
          <label key={o.code} class="choice">
            <input type="checkbox" name={name} checked={list.includes(o.code)} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? [...list, o.code] : list.filter((c) => c !== o.code))} /> {o.label}
          </label>
        ));
      case 'scale':
        return (
          <div class="scale">
            {scaleValues(q).map((v) => (
              <label key={v} class="choice">
                <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} /> {v}
              </label>
            ))}
          </div>
        );
      case 'ranking': {
        const ranked = list.length ? list : q.options!.map((o) => o.code);
        const label = (code: string) => q.options!.find((o) => o.code === code)?.label ?? code;
        const move = (i: number, by: number) => {
          const next = [...ranked];
          [next[i], next[i + by]] = [next[i + by], next[i]];
          onChange(next);
        };
        return (
          <>
            <ol class="ranking" data-testid={`ranking-${q.id}`}>
              {ranked.map((code, i) => (
                <li key={code}>
                  {label(code)}{' '}
                  <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('survey.moveUp', { option: label(code) })}>
                    ↑
                  </button>
                  <button type="button" disabled={i === ranked.length - 1} onClick={() => move(i, 1)} aria-label={t('survey.moveDown', { option: label(code) })}>
                    ↓
                  </button>
                </li>
              ))}
            </ol>
            {!list.length && (
              <button type="button" onClick={() => onChange(ranked)}>
                {t('survey.keepOrder')}
              </button>
            )}
          </>
        );
      }
      default:
        return (
          <label>
            <span class="visually-hidden">{q.label}</span>
            {q.type === 'long_text' ? (
              <textarea maxLength={5000} value={typeof value === 'string' ? value : ''} onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)} />
            ) : (
              <input type="text" maxLength={300} value={typeof value === 'string' ? value : ''} onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)} />
            )}
          </label>
        );
    }
  })();
  return (
    <fieldset class="question" data-testid={`question-${q.id}`} aria-invalid={error ? 'true' : undefined}>
      {legend}
      {body}
      {error && (
        <p role="alert" class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
