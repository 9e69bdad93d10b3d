import { indexProblem } from './panel-model';
import { panelCounts, peopleTypes } from './people-types';
import type { SelectionProblem } from './selection.types';

describe('classes of interchangeable people', () => {
  const quotas = [
    { feature: 'g', value: 'f', min: 0, max: 2 },
    { feature: 'g', value: 'm', min: 0, max: 2 },
    { feature: 'a', value: 'young', min: 0, max: 2 },
    { feature: 'a', value: 'old', min: 0, max: 2 },
  ];
  const members = [
    { id: 'p0', features: { g: 'f', a: 'young' }, household: 'H1' },
    { id: 'p1', features: { g: 'f', a: 'young' }, household: 'H2' },
    { id: 'p2', features: { g: 'f', a: 'young' }, household: null },
    { id: 'p3', features: { g: 'm', a: 'young' }, household: 'H1' },
    { id: 'p4', features: { g: 'f', a: 'old' }, household: null },
  ];

  it('groups equal values; a person with a housemate in the pool stays alone (household rule only)', () => {
    const withRule: SelectionProblem = { members, quotas, panelSize: 2, householdRule: true };
    const { classes, classOf } = peopleTypes(withRule, indexProblem(withRule));
    expect(classes).toEqual([[0], [1, 2], [3], [4]]);
    expect(panelCounts([1, 2, 4], classOf)).toEqual({ classes: [1, 3], counts: [2, 1], key: '1:2,3:1' });

    const noRule: SelectionProblem = { ...withRule, householdRule: false };
    expect(peopleTypes(noRule, indexProblem(noRule)).classes).toEqual([[0, 1, 2], [3], [4]]);
  });
});
