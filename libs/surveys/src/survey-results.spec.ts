import { Question } from './questions';
import { ResponseRecord, tallySurvey } from './survey-results';

const questions: Question[] = [
  { id: 'q1', type: 'single_choice', label: 'Agree?', required: true, options: [{ code: 'yes', label: 'Yes' }, { code: 'no', label: 'No' }] },
  { id: 'q2', type: 'scale', label: 'Satisfaction', required: true, scale: '1-5' },
  { id: 'q3', type: 'ranking', label: 'Priorities', required: false, options: [{ code: 'a', label: 'A' }, { code: 'b', label: 'B' }, { code: 'c', label: 'C' }] },
  { id: 'q4', type: 'multiple_choice', label: 'Modes', required: false, options: [{ code: 'bus', label: 'Bus' }, { code: 'bike', label: 'Bike' }], max: 2 },
  { id: 'q5', type: 'long_text', label: 'Anything else', required: false },
];

// Three women and one man answer; the panel's quotas are half and half.
const rows: ResponseRecord[] = [
  { features: { gender: 'f' }, answers: { q1: 'yes', q2: 5, q3: ['a', 'b', 'c'], q4: ['bus', 'bike'] } },
  { features: { gender: 'f' }, answers: { q1: 'yes', q2: 4, q3: ['b', 'a'], q5: 'More trees' } },
  { features: { gender: 'f' }, answers: { q1: 'no', q2: 3, q3: ['a'], q4: ['bus'] } },
  { features: { gender: 'm' }, answers: { q1: 'no', q2: 1, q3: ['c', 'b', 'a'] } },
];

describe('tallySurvey', () => {
  it('counts, percentages, scale mean and distribution, Borda and first choices, texts', () => {
    const r = tallySurvey(questions, rows);
    expect(r.responses).toBe(4);
    const [q1, q2, q3, q4, q5] = r.questions;
    expect(q1.options).toEqual([
      { code: 'yes', label: 'Yes', count: 2, percent: 50 },
      { code: 'no', label: 'No', count: 2, percent: 50 },
    ]);
    expect(q2.scale!.mean).toBe(3.25);
    expect(q2.scale!.distribution.map((d) => d.count)).toEqual([1, 0, 1, 1, 1]);
    // Borda with 3 options: 2 points for a first place, 1 for a second, 0 for a third or unranked.
    // a: 2 + 1 + 2 + 0 = 5; b: 1 + 2 + 0 + 1 = 4; c: 0 + 0 + 0 + 2 = 2.
    expect(q3.ranking!.borda.map((b) => b.points)).toEqual([5, 4, 2]);
    expect(q3.ranking!.firstChoice.map((f) => f.count)).toEqual([2, 1, 1]);
    expect(q4.answered).toBe(2);
    expect(q4.options!.map((o) => [o.count, o.percent])).toEqual([[2, 100], [1, 50]]);
    expect(q5.texts).toEqual(['More trees']);
  });

  it('weights by the panel quotas (post-stratification), computed by hand', () => {
    // Targets f 50 %, m 50 %; sample f 3/4, m 1/4 → a woman weighs 0.5 / 0.75 = 2/3, the man 0.5 / 0.25 = 2.
    const r = tallySurvey(questions, rows, { weighting: { feature: 'gender', targets: { f: 5, m: 5 } } });
    expect(r.weighting!.cells).toEqual([
      { value: 'f', target: 0.5, respondents: 3, weight: 0.666667 },
      { value: 'm', target: 0.5, respondents: 1, weight: 2 },
    ]);
    const [q1, q2, q3] = r.questions;
    // yes: 2 × 2/3 = 4/3 of 4 → 33.33 %; no: 2/3 + 2 = 8/3 → 66.67 %.
    expect(q1.answered).toBe(4);
    expect(q1.options!.map((o) => [o.count, o.percent])).toEqual([[1.333333, 33.3333], [2.666667, 66.6667]]);
    // mean: (2/3 × (5 + 4 + 3) + 2 × 1) / 4 = (8 + 2) / 4 = 2.5
    expect(q2.scale!.mean).toBe(2.5);
    // Borda a: 2/3 × (2 + 1 + 2) + 2 × 0 = 10/3; b: 2/3 × (1 + 2 + 0) + 2 × 1 = 4; c: 2/3 × 0 + 2 × 2 = 4.
    expect(q3.ranking!.borda.map((b) => b.points)).toEqual([3.333333, 4, 4]);
  });

  it('cross-tabulates by a feature', () => {
    const r = tallySurvey(questions, rows, { by: 'gender' });
    expect(r.questions[0].crossTab).toEqual({ feature: 'gender', values: ['f', 'm'], rows: [{ code: 'yes', counts: { f: 2, m: 0 } }, { code: 'no', counts: { f: 1, m: 1 } }] });
    expect(r.questions[1].crossTab!.means).toEqual({ f: 4, m: 1 });
  });

  it('gives respondents without a targeted value no weight, and renormalises over values present', () => {
    const extra: ResponseRecord[] = [...rows, { features: null, answers: { q1: 'yes', q2: 5 } }];
    const r = tallySurvey(questions, extra, { weighting: { feature: 'gender', targets: { f: 1, m: 1, x: 2 } } });
    expect(r.weighting!.unweighted).toBe(1);
    expect(r.weighting!.cells.find((c) => c.value === 'x')).toEqual({ value: 'x', target: 0, respondents: 0, weight: 0 });
    expect(r.questions[1].scale!.mean).toBe(2.5);
  });
});
