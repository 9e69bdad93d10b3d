import { localizeError } from '@app/common';
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
    expect(localizeError(new PoolCsvMalformedError('line 3: 4 fields, the header has 5'), 'fr').message).toContain('rien n');
    expect(localizeError(new PoolCsvMalformedError('line 3: 4 fields, the header has 5'), 'en').message).toBe('line 3: 4 fields, the header has 5');
  });
});
