import { bodyOf, type BudgetSettings, changesOf, emptyForm, formOf } from './budget-settings-model';

/** The settings form against the API's rule that every field sent is a change (and may be refused as fixed by the phase). */
const DISTRICT = '11111111-1111-4111-8111-111111111111';

function budget(overrides: Partial<BudgetSettings> = {}): BudgetSettings {
  return {
    id: 'b',
    title: { fr: 'Budget', en: 'Budget' },
    description: { fr: 'Idées', en: 'Ideas' },
    amount: 100_000,
    currency: 'EUR',
    // A heading with its own ballot rule.
    districtAmounts: [{ districtId: DISTRICT, amount: 30_000, ballotRule: { kind: 'approval', maxProjects: 1 } } as never],
    ballotRule: { kind: 'approval', maxProjects: 2 },
    outcomeRule: 'equal-shares',
    add1: 'until-exhaustive',
    eligibility: {},
    phase: 'voting',
    // Stored with seconds and milliseconds, as a budget created through the API may be.
    proposingEndsAt: '2027-01-10T10:00:17.123Z',
    reviewingEndsAt: '2027-02-10T10:00:59.999Z',
    votingEndsAt: '2027-03-10T10:00:00.000Z',
    ...overrides,
  };
}

describe('budget settings form', () => {
  it('sends nothing when nothing was touched, whatever the dates’ seconds', () => {
    expect(changesOf(formOf(budget()), budget())).toEqual({});
  });

  it('sends only the fields that differ', () => {
    const form = { ...formOf(budget()), titleEn: 'Budget 2027', amount: '120000' };
    expect(changesOf(form, budget())).toEqual({ title: { fr: 'Budget', en: 'Budget 2027' }, amount: 120_000 });
  });

  it('sends a changed date as an instant, to the minute', () => {
    const form = { ...formOf(budget()), votingEndsAt: '2027-04-01T12:30' };
    expect(changesOf(form, budget())).toEqual({ votingEndsAt: new Date('2027-04-01T12:30').toISOString() });
  });

  it('keeps a heading’s own ballot rule when its amount changes, and drops a heading left empty', () => {
    const changed = { ...formOf(budget()), districtAmounts: { [DISTRICT]: '35000' } };
    expect(changesOf(changed, budget())).toEqual({ districtAmounts: [{ districtId: DISTRICT, amount: 35_000, ballotRule: { kind: 'approval', maxProjects: 1 } }] });
    const emptied = { ...formOf(budget()), districtAmounts: { [DISTRICT]: '' } };
    expect(changesOf(emptied, budget())).toEqual({ districtAmounts: [] });
  });

  it('edits a heading’s own ballot rule, and drops it back to the budget’s rule', () => {
    const form = formOf(budget());
    expect(form.headingRules[DISTRICT]).toMatchObject({ kind: 'approval', maxProjects: '1' });
    const knapsack = { ...form, headingRules: { [DISTRICT]: { ...form.headingRules[DISTRICT], kind: 'knapsack' as const, minSharePercent: '50' } } };
    expect(changesOf(knapsack, budget())).toEqual({ districtAmounts: [{ districtId: DISTRICT, amount: 30_000, ballotRule: { kind: 'knapsack', minSharePercent: 50 } }] });
    const same = { ...form, headingRules: { [DISTRICT]: { ...form.headingRules[DISTRICT], kind: '' as const } } };
    expect(changesOf(same, budget())).toEqual({ districtAmounts: [{ districtId: DISTRICT, amount: 30_000 }] });
  });

  it('sends the chosen rule’s own figures only, and Add1 only with equal shares', () => {
    const form = { ...emptyForm(), ruleKind: 'cumulative' as const, maxProjects: '3', points: '10', maxPerProject: '4', outcomeRule: 'greedy' as const };
    const body = bodyOf(form);
    expect(body.ballotRule).toEqual({ kind: 'cumulative', points: 10, maxPerProject: 4 });
    expect(body).not.toHaveProperty('add1');
    expect(bodyOf({ ...form, ruleKind: 'approval', outcomeRule: 'equal-shares' })).toMatchObject({ ballotRule: { kind: 'approval', maxProjects: 3 }, add1: 'until-exhaustive' });
  });

  it('leaves empty numbers out and passes what is not a number on for the API to name', () => {
    const body = bodyOf({ ...emptyForm(), ruleKind: 'approval', maxProjects: '', amount: 'abc', minimumAge: '16' });
    expect(body.ballotRule).toEqual({ kind: 'approval' });
    expect(body.amount).toBeNaN();
    expect(body.eligibility).toEqual({ minimumAge: 16 });
  });
});
