import { fieldErrorMessage, localizeError, ValidationError } from '@app/common';
import { panelFieldError, rowReason } from './panels/panel-field-errors';
import { featureValueProblems, rulesProblems } from './panels/panel-rules';
import { readPoolCsv } from './pool/pool-csv';
import { PanelNotFoundError, PoolCsvMalformedError, QuotasInfeasibleError } from './panels.errors';

describe('panels error messages', () => {
  it('a failing quota reads in French, with its figures, and keeps its specific English', () => {
    const error = new QuotasInfeasibleError([{ feature: 'age', value: '16-29', min: 5, max: 8, shortBy: 2, overBy: 0 }]);
    expect(localizeError(error, 'fr')).toMatchObject({
      code: 'QUOTAS_INFEASIBLE',
      message: 'Aucun panel ne respecte tous les quotas (voir le détail par quota)',
      details: [{ field: 'quotas.age.16-29', code: 'QUOTA_SHORT', message: 'au moins 5 sièges requis, au plus 3 atteignables : il en manque 2' }],
    });
    expect(localizeError(error, 'en').message).toBe('No panel meets every quota: age=16-29 short by 2');
    expect(localizeError(error, 'en').details).toEqual([
      { field: 'quotas.age.16-29', code: 'QUOTA_SHORT', message: 'at least 5 seats required, at most 3 reachable: short by 2' },
    ]);
  });

  it('every other panel code has a French message', () => {
    expect(localizeError(new PanelNotFoundError(), 'fr').message).toBe('Panel introuvable');
    const unreadable = new PoolCsvMalformedError([panelFieldError('file', 'CSV_UNREADABLE', { reason: 'line 3: 4 fields, the header has 5' })]);
    expect(localizeError(unreadable, 'fr')).toMatchObject({
      message: expect.stringContaining('rien n'),
      details: [{ field: 'file', code: 'CSV_UNREADABLE', message: "Le fichier n'est pas un CSV valide : line 3: 4 fields, the header has 5" }],
    });
    expect(localizeError(unreadable, 'en').message).toBe('The file is not valid CSV: line 3: 4 fields, the header has 5');
  });

  it('the rules, a volunteer’s values and a CSV’s columns and rows read in French, and in English as before', () => {
    const features = [{ code: 'gender', label: 'Gender', values: [{ code: 'f', label: 'F', min: 3, max: 3 }, { code: 'm', label: 'M', min: 3, max: 3 }] }];
    const rules = new ValidationError('Invalid panel rules', rulesProblems(4, features), 'INVALID_PANEL_RULES', 'unprocessable');
    expect(localizeError(rules, 'fr')).toEqual({
      code: 'INVALID_PANEL_RULES',
      message: 'Règles du panel invalides',
      details: [{ field: 'features.0.values', code: 'QUOTA_MINIMUMS_OVER_SIZE', message: 'les minimums totalisent 6, plus que les 4 sièges' }],
    });
    expect(localizeError(rules, 'en').details[0].message).toBe('the minimums add up to 6, more than the 4 seats');
    expect(featureValueProblems(features, { gender: 'x', age: 'old' }).map((p) => fieldErrorMessage(p, 'fr'))).toEqual([
      'valeur inconnue « x »',
      "n'est pas un critère de ce panel",
    ]);
    expect(() => readPoolCsv('external_id,age\nr1,old\n', features, new Set())).toThrow(PoolCsvMalformedError);
    try {
      readPoolCsv('external_id,age\nr1,old\n', features, new Set());
    } catch (error) {
      expect(localizeError(error as PoolCsvMalformedError, 'fr').details.map((d) => d.message)).toEqual([
        'colonnes inconnues (pas des codes de critère) : age',
        'colonnes de critère manquantes : gender',
      ]);
    }
    const { rejected } = readPoolCsv('external_id,gender\nr1,f\nr1,x\n', features, new Set());
    expect(rejected[0].problems.map((p) => rowReason(p, 'fr'))).toEqual(['external_id figure deux fois dans le fichier', 'gender: valeur inconnue « x »']);
    expect(rejected[0].problems.map((p) => rowReason(p, 'en'))).toEqual(['external_id appears twice in the file', 'gender: unknown value "x"']);
  });
});
