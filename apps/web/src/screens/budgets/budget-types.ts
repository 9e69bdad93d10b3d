import type { Locale } from '../../i18n';
import type { OutcomeHeading } from './budget-outcome';

/**
 * The budgets API's answers as these screens read them. The budgets routes do not declare
 * response schemas in the OpenAPI document yet, so these are written by hand from
 * apps/api/src/http/budgets/budgets.controller.ts (toBudgetResponse, toProjectResponse).
 */
export type BudgetPhase = 'proposing' | 'reviewing' | 'voting' | 'tallying' | 'finished';

export type BallotRule =
  | { kind: 'approval'; maxProjects: number; minProjects?: number }
  | { kind: 'knapsack'; minSharePercent?: number }
  | { kind: 'cumulative'; points: number; maxPerProject: number }
  | { kind: 'ordinal'; ranks: number; scores?: number[] };

export interface Budget {
  id: string;
  title: Partial<Record<Locale, string>>;
  description: Partial<Record<Locale, string>>;
  amount: number;
  currency: string;
  /** District headings: each its own amount, and its own ballot rule when it has one. */
  districtAmounts: Array<{ districtId: string; amount: number; ballotRule?: BallotRule }>;
  ballotRule: BallotRule;
  outcomeRule: 'greedy' | 'equal-shares';
  phase: BudgetPhase;
  votingEndsAt: string;
}

export interface BudgetProject {
  id: string;
  districtId: string | null;
  title: string;
  description: string;
  cost: number;
  /** Where it would be, if its proposer placed it. */
  location?: { lat: number; lng: number } | null;
  status: 'proposed' | 'feasible' | 'unfeasible' | 'on_ballot' | 'withdrawn';
  selected: boolean;
  /** The citizen proposal it was imported from, if any. */
  proposalId?: string | null;
}

export interface BudgetResults {
  result: { rule: string; ballots: number; selected: string[]; headings?: OutcomeHeading[] };
}

export const localized = (text: Partial<Record<Locale, string>>, locale: Locale): string => text[locale] ?? text.fr ?? text.en ?? '';

export function money(amount: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}
