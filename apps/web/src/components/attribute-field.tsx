import type { CategoryAttribute } from '../api/client';

/** One question of a category (Open311 attribute), as the control its datatype calls for. */
export function AttributeField({ attribute }: { attribute: CategoryAttribute }) {
  const name = `attr:${attribute.code}`;
  const id = `attr-${attribute.code}`;
  const required = attribute.required;
  switch (attribute.datatype) {
    case 'singlevaluelist':
      return (
        <label>
          {attribute.description}
          <select id={id} name={name} required={required}>
            <option value="">—</option>
            {attribute.values?.map((v) => (
              <option key={v.key} value={v.key}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
      );
    case 'multivaluelist':
      return (
        <fieldset>
          <legend>{attribute.description}</legend>
          {attribute.values?.map((v) => (
            <label key={v.key} class="inline">
              <input type="checkbox" name={name} value={v.key} /> {v.name}
            </label>
          ))}
        </fieldset>
      );
    case 'text':
      return (
        <label>
          {attribute.description}
          <textarea id={id} name={name} required={required} maxLength={2000} rows={3} />
        </label>
      );
    case 'number':
      return (
        <label>
          {attribute.description}
          <input id={id} name={name} type="number" step="any" required={required} />
        </label>
      );
    case 'datetime':
      return (
        <label>
          {attribute.description}
          <input id={id} name={name} type="datetime-local" required={required} />
        </label>
      );
    default:
      return (
        <label>
          {attribute.description}
          <input id={id} name={name} required={required} maxLength={500} />
        </label>
      );
  }
}

/** The answers of a submitted form, by attribute code, typed as the API expects. */
export function attributeAnswers(form: FormData, attributes: CategoryAttribute[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const attribute of attributes) {
    const values = form.getAll(`attr:${attribute.code}`).map(String).filter((v) => v !== '');
    if (values.length === 0) continue;
    if (attribute.datatype === 'multivaluelist') answers[attribute.code] = values;
    else if (attribute.datatype === 'number') answers[attribute.code] = Number(values[0]);
    else if (attribute.datatype === 'datetime') answers[attribute.code] = new Date(values[0]).toISOString();
    else answers[attribute.code] = values[0];
  }
  return answers;
}
