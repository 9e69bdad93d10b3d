import type { BallotRule, Budget } from './budget-types';

/**
 * The budget settings form's state (strings, as inputs hold them) and its translation to the
 * API's body: the whole body to create, only the fields that differ from the budget to PATCH —
 * the API treats every field sent as a change, and refuses a change to what the phase has fixed.
 */
export type RuleKind = BallotRule['kind'];
export const RULE_KINDS: RuleKind[] = ['knapsack', 'approval', 'cumulative', 'ordinal'];
export const OUTCOME_RULES = ['greedy', 'equal-shares'] as const;
export const ADD1_VARIANTS = ['until-exhaustive', 'within-budget'] as const;

/** A ballot rule's figures as the form holds them (strings), the budget's or a heading's own. */
export interface RuleFigures {
  maxProjects: string;
  minProjects: string;
  minSharePercent: string;
  points: string;
  maxPerProject: string;
  ranks: string;
}

/** A district heading's own ballot rule; kind '' : the budget's rule applies. */
export interface HeadingRuleForm extends RuleFigures {
  kind: RuleKind | '';
}

export interface SettingsForm {
  titleFr: string;
  titleEn: string;
  descriptionFr: string;
  descriptionEn: string;
  amount: string;
  currency: string;
  ruleKind: RuleKind;
  maxProjects: string;
  minProjects: string;
  minSharePercent: string;
  points: string;
  maxPerProject: string;
  ranks: string;
  outcomeRule: (typeof OUTCOME_RULES)[number];
  add1: (typeof ADD1_VARIANTS)[number];
  byDistrict: boolean;
  minimumAge: string;
  /** A district's heading amount by district id; empty: no heading of its own. */
  districtAmounts: Record<string, string>;
  /** A heading's own ballot rule by district id; absent or kind '': the budget's rule. */
  headingRules: Record<string, HeadingRuleForm>;
  proposingEndsAt: string;
  reviewingEndsAt: string;
  votingEndsAt: string;
}

/** The full budget as the API answers it (the screens' Budget type reads a subset). */
export interface BudgetSettings extends Budget {
  add1: (typeof ADD1_VARIANTS)[number] | null;
  eligibility: { byDistrict?: boolean; minimumAge?: number };
  proposingEndsAt: string;
  reviewingEndsAt: string;
}

/** `datetime-local` holds the device's local time without a zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const DAY = 86_400_000;
const str = (n: number | undefined) => (n === undefined ? '' : String(n));

export function emptyForm(now = Date.now()): SettingsForm {
  return {
    titleFr: '',
    titleEn: '',
    descriptionFr: '',
    descriptionEn: '',
    amount: '',
    currency: 'EUR',
    ruleKind: 'knapsack',
    maxProjects: '',
    minProjects: '',
    minSharePercent: '',
    points: '',
    maxPerProject: '',
    ranks: '',
    outcomeRule: 'greedy',
    add1: 'until-exhaustive',
    byDistrict: false,
    minimumAge: '',
    districtAmounts: {},
    headingRules: {},
    proposingEndsAt: toLocalInput(new Date(now + 30 * DAY).toISOString()),
    reviewingEndsAt: toLocalInput(new Date(now + 60 * DAY).toISOString()),
    votingEndsAt: toLocalInput(new Date(now + 90 * DAY).toISOString()),
  };
}

function figuresOf(ballotRule: BallotRule): RuleFigures {
  const rule = ballotRule as BallotRule & Record<string, number | undefined>;
  return {
    maxProjects: str(rule.maxProjects),
    minProjects: str(rule.minProjects),
    minSharePercent: str(rule.minSharePercent),
    points: str(rule.points),
    maxPerProject: str(rule.maxPerProject),
    ranks: str(rule.ranks),
  };
}

export const NO_HEADING_RULE: HeadingRuleForm = { kind: '', maxProjects: '', minProjects: '', minSharePercent: '', points: '', maxPerProject: '', ranks: '' };

export function formOf(b: BudgetSettings): SettingsForm {
  const rule = b.ballotRule as BallotRule & Record<string, number | undefined>;
  return {
    titleFr: b.title.fr ?? '',
    titleEn: b.title.en ?? '',
    descriptionFr: b.description.fr ?? '',
    descriptionEn: b.description.en ?? '',
    amount: String(b.amount),
    currency: b.currency,
    ruleKind: rule.kind,
    maxProjects: str(rule.maxProjects),
    minProjects: str(rule.minProjects),
    minSharePercent: str(rule.minSharePercent),
    points: str(rule.points),
    maxPerProject: str(rule.maxPerProject),
    ranks: str(rule.ranks),
    outcomeRule: b.outcomeRule,
    add1: b.add1 ?? 'until-exhaustive',
    byDistrict: b.eligibility.byDistrict === true,
    minimumAge: str(b.eligibility.minimumAge),
    districtAmounts: Object.fromEntries(b.districtAmounts.map((h) => [h.districtId, String(h.amount)])),
    headingRules: Object.fromEntries(b.districtAmounts.filter((h) => h.ballotRule).map((h) => [h.districtId, { kind: h.ballotRule!.kind, ...figuresOf(h.ballotRule!) }])),
    proposingEndsAt: toLocalInput(b.proposingEndsAt),
    reviewingEndsAt: toLocalInput(b.reviewingEndsAt),
    votingEndsAt: toLocalInput(b.votingEndsAt),
  };
}

/** A number field as the API takes it: left out when empty; what is not a number goes as typed, for the API to name. */
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
const iso = (local: string): string => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : local);

/** The rule's own figures only: the API asks for each kind's and the form keeps the others' for switching back. */
function ruleOf(kind: RuleKind, f: RuleFigures): Record<string, unknown> {
  const figures: Record<RuleKind, Array<keyof RuleFigures>> = {
    approval: ['maxProjects', 'minProjects'],
    knapsack: ['minSharePercent'],
    cumulative: ['points', 'maxPerProject'],
    ordinal: ['ranks'],
  };
  const rule: Record<string, unknown> = { kind };
  for (const key of figures[kind]) {
    const value = num(f[key]);
    if (value !== undefined) rule[key] = value;
  }
  return rule;
}

/** The creation body, every field. A heading's own ballot rule is sent with its amount when one is chosen. */
export function bodyOf(f: SettingsForm): Record<string, unknown> {
  const eligibility: Record<string, unknown> = {};
  if (f.byDistrict) eligibility.byDistrict = true;
  const age = num(f.minimumAge);
  if (age !== undefined) eligibility.minimumAge = age;
  const districtAmounts = Object.entries(f.districtAmounts)
    .filter(([, amount]) => amount.trim() !== '')
    .map(([districtId, amount]) => {
      const own = f.headingRules[districtId];
      return { districtId, amount: num(amount), ...(own?.kind ? { ballotRule: ruleOf(own.kind, own) } : {}) };
    });
  return {
    title: { fr: f.titleFr, en: f.titleEn },
    description: { fr: f.descriptionFr, en: f.descriptionEn },
    amount: num(f.amount),
    currency: f.currency.trim().toUpperCase(),
    districtAmounts,
    ballotRule: ruleOf(f.ruleKind, f),
    outcomeRule: f.outcomeRule,
    ...(f.outcomeRule === 'equal-shares' ? { add1: f.add1 } : {}),
    eligibility,
    proposingEndsAt: iso(f.proposingEndsAt),
    reviewingEndsAt: iso(f.reviewingEndsAt),
    votingEndsAt: iso(f.votingEndsAt),
  };
}

/** Order-independent comparison of two JSON values (object keys sorted). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The PATCH body: the fields whose value differs from the budget's. */
export function changesOf(f: SettingsForm, b: BudgetSettings): Record<string, unknown> {
  const next = bodyOf(f);
  const current: Record<string, unknown> = { ...b, add1: b.outcomeRule === 'equal-shares' ? b.add1 : undefined };
  const changes: Record<string, unknown> = {};
  const byDistrict = (list: unknown) => [...(list as Array<{ districtId: string }>)].sort((x, y) => (x.districtId < y.districtId ? -1 : 1));
  for (const [key, value] of Object.entries(next)) {
    // Dates as the form shows them (to the minute): a date left alone is not sent, even if stored with seconds.
    if (key.endsWith('EndsAt')) {
      if (f[key as keyof SettingsForm] !== toLocalInput(current[key] as string)) changes[key] = value;
    } else if (key === 'districtAmounts') {
      if (canonical(byDistrict(value)) !== canonical(byDistrict(current[key]))) changes[key] = value;
    } else if (canonical(value) !== canonical(current[key])) changes[key] = value;
  }
  return changes;
}
