import { OpenDataset } from './open-data';
import { buildOpenDataIndex, OpenDataRegistrationError } from './open-data.registry';
import { neutraliseCsvCell } from './open-data.service';

const text = { fr: 'x', en: 'x' };
const dataset = (id: string, extra: Partial<OpenDataset> = {}): OpenDataset => ({
  id,
  title: text,
  description: text,
  fields: [
    { name: 'lng', description: text },
    { name: 'lat', description: text },
  ],
  updatedAt: async () => null,
  rows: async function* () {},
  ...extra,
});

describe('open-data registry', () => {
  it('indexes datasets by id, sorted', () => {
    const index = buildOpenDataIndex([
      { owner: 'B', dataset: dataset('workshops') },
      { owner: 'A', dataset: dataset('reports', { point: { lng: 'lng', lat: 'lat' } }) },
    ]);
    expect([...index.keys()]).toEqual(['reports', 'workshops']);
  });

  it('refuses two datasets with one id, a bad id or field, and a point naming no field', () => {
    expect(() => buildOpenDataIndex([{ owner: 'A', dataset: dataset('reports') }, { owner: 'B', dataset: dataset('reports') }])).toThrow(OpenDataRegistrationError);
    expect(() => buildOpenDataIndex([{ owner: 'A', dataset: dataset('Reports.csv') }])).toThrow(/must match/);
    expect(() => buildOpenDataIndex([{ owner: 'A', dataset: dataset('r', { fields: [{ name: 'Bad Name', description: text }] }) }])).toThrow(/Field/);
    expect(() => buildOpenDataIndex([{ owner: 'A', dataset: dataset('r', { point: { lng: 'x', lat: 'lat' } }) }])).toThrow(/point/);
  });

  it('keeps spreadsheets from running a cell as a formula, numbers untouched', () => {
    expect(neutraliseCsvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutraliseCsvCell('@cmd')).toBe("'@cmd");
    expect(neutraliseCsvCell(-3.05)).toBe(-3.05);
    expect(neutraliseCsvCell(null)).toBe('');
    expect(neutraliseCsvCell('Éclairage')).toBe('Éclairage');
  });
});
