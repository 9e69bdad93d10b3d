import { Answers, isChoice, Question, scaleRange } from './questions';

/** One submitted response as results read it: answers and the respondent's panel feature values (if any). */
export interface ResponseRecord {
  answers: Answers;
  features: Record<string, string> | null;
}

/**
 * Post-stratification on one feature: each respondent with value v weighs target(v) / share(v),
 * share(v) being v's share of the respondents. Targets are renormalised over the values present
 * among respondents (a value nobody answered for cannot be represented); respondents whose value
 * has no target weigh 0 and are counted in `unweighted`.
 */
export interface WeightingSpec {
  feature: string;
  /** Target population share per value (any positive scale; normalised here). */
  targets: Record<string, number>;
}

export interface WeightCell {
  value: string;
  target: number;
  respondents: number;
  weight: number;
}

export interface OptionCount {
  code: string;
  label: string;
  count: number;
  percent: number;
}

export interface CrossTab {
  feature: string;
  values: string[];
  /** choice questions: per option, its count for each feature value; scales: mean per value. */
  rows: Array<{ code: string; counts: Record<string, number> }>;
  means?: Record<string, number | null>;
}

export interface QuestionResult {
  id: string;
  type: Question['type'];
  label: string;
  /** Respondents who answered it (weighted when weighting). */
  answered: number;
  options?: OptionCount[];
  scale?: { mean: number | null; distribution: Array<{ value: number; count: number; percent: number }> };
  ranking?: { borda: Array<{ code: string; label: string; points: number }>; firstChoice: OptionCount[] };
  texts?: string[];
  crossTab?: CrossTab;
}

export interface SurveyResults {
  responses: number;
  weighting: { feature: string; cells: WeightCell[]; unweighted: number } | null;
  questions: QuestionResult[];
}

const round = (x: number, digits = 6): number => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (part: number, whole: number): number => (whole > 0 ? round((100 * part) / whole, 4) : 0);

export function weightsOf(rows: ResponseRecord[], spec: WeightingSpec): { weights: Float64Array; cells: WeightCell[]; unweighted: number } {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = r.features?.[spec.feature];
    if (v !== undefined && spec.targets[v] > 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const weightable = [...counts.values()].reduce((s, n) => s + n, 0);
  const targetSum = [...counts.keys()].reduce((s, v) => s + spec.targets[v], 0);
  const weightOf = new Map<string, number>();
  const cells: WeightCell[] = Object.keys(spec.targets).map((value) => {
    const n = counts.get(value) ?? 0;
    const target = n ? spec.targets[value] / targetSum : 0;
    const weight = n ? target / (n / weightable) : 0;
    weightOf.set(value, weight);
    return { value, target: round(target), respondents: n, weight: round(weight) };
  });
  const weights = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const v = r.features?.[spec.feature];
    weights[i] = v === undefined ? 0 : (weightOf.get(v) ?? 0);
  });
  return { weights, cells, unweighted: rows.length - weightable };
}

/**
 * Results of a survey: counts and percentages per option (of those who answered the question),
 * mean and distribution of scales, Borda points (n−1 for a first place … 0 for unranked, n options)
 * and first choices of rankings, free texts listed; optionally a cross-tab by a feature and
 * weights (post-stratification). One pass over the responses per question.
 */
export function tallySurvey(questions: Question[], rows: ResponseRecord[], options: { by?: string; weighting?: WeightingSpec } = {}): SurveyResults {
  const weighted = options.weighting ? weightsOf(rows, options.weighting) : null;
  const w = (i: number): number => (weighted ? weighted.weights[i] : 1);
  const by = options.by;
  const byValues = by ? [...new Set(rows.map((r) => r.features?.[by]).filter((v): v is string => v !== undefined))].sort() : [];
  const results = questions.map((q): QuestionResult => {
    const base: QuestionResult = { id: q.id, type: q.type, label: q.label, answered: 0 };
    if (q.type === 'short_text' || q.type === 'long_text') {
      const texts: string[] = [];
      rows.forEach((r) => {
        const a = r.answers[q.id];
        if (typeof a === 'string') texts.push(a);
      });
      return { ...base, answered: texts.length, texts };
    }
    if (isChoice(q)) {
      const codes = q.options!.map((o) => o.code);
      const index = new Map(codes.map((c, k) => [c, k]));
      const counts = new Float64Array(codes.length);
      const first = new Float64Array(codes.length);
      const borda = new Float64Array(codes.length);
      const cross = by ? codes.map(() => new Map<string, number>()) : null;
      let answered = 0;
      rows.forEach((r, i) => {
        const a = r.answers[q.id];
        if (a === undefined) return;
        const weight = w(i);
        answered += weight;
        const chosen = typeof a === 'string' ? [a] : (a as string[]);
        const fv = by ? r.features?.[by] : undefined;
        chosen.forEach((c, position) => {
          const k = index.get(c);
          if (k === undefined) return;
          counts[k] += weight;
          if (q.type === 'ranking') {
            borda[k] += weight * (codes.length - 1 - position);
            if (position === 0) first[k] += weight;
          }
          if (cross && fv !== undefined) cross[k].set(fv, (cross[k].get(fv) ?? 0) + weight);
        });
      });
      const optionList = (values: Float64Array): OptionCount[] => q.options!.map((o, k) => ({ code: o.code, label: o.label, count: round(values[k]), percent: pct(values[k], answered) }));
      const result: QuestionResult = { ...base, answered: round(answered) };
      if (q.type === 'ranking') {
        result.ranking = { borda: q.options!.map((o, k) => ({ code: o.code, label: o.label, points: round(borda[k]) })), firstChoice: optionList(first) };
      } else result.options = optionList(counts);
      if (cross) result.crossTab = { feature: by!, values: byValues, rows: codes.map((code, k) => ({ code, counts: Object.fromEntries(byValues.map((v) => [v, round(cross[k].get(v) ?? 0)])) })) };
      return result;
    }
    // scale
    const [lo, hi] = scaleRange(q);
    const distribution = new Float64Array(hi - lo + 1);
    const sums = new Map<string, [number, number]>();
    let answered = 0;
    let sum = 0;
    rows.forEach((r, i) => {
      const a = r.answers[q.id];
      if (typeof a !== 'number') return;
      const weight = w(i);
      answered += weight;
      sum += weight * a;
      distribution[a - lo] += weight;
      const fv = by ? r.features?.[by] : undefined;
      if (fv !== undefined) {
        const s = sums.get(fv) ?? [0, 0];
        sums.set(fv, [s[0] + weight * a, s[1] + weight]);
      }
    });
    const result: QuestionResult = {
      ...base,
      answered: round(answered),
      scale: {
        mean: answered > 0 ? round(sum / answered) : null,
        distribution: Array.from(distribution, (count, k) => ({ value: lo + k, count: round(count), percent: pct(count, answered) })),
      },
    };
    if (by) {
      const means = Object.fromEntries(byValues.map((v) => [v, sums.get(v)?.[1] ? round(sums.get(v)![0] / sums.get(v)![1]) : null]));
      result.crossTab = { feature: by, values: byValues, rows: [], means };
    }
    return result;
  });
  return {
    responses: rows.length,
    weighting: weighted ? { feature: options.weighting!.feature, cells: weighted.cells, unweighted: weighted.unweighted } : null,
    questions: results,
  };
}
