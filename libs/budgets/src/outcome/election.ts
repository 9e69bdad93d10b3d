/** The input of an outcome rule: what any Pabulib file or a closed budget reduces to. */
export type VoteType = 'approval' | 'cumulative' | 'ordinal';
export const VOTE_TYPES: readonly VoteType[] = ['approval', 'cumulative', 'ordinal'];

export interface ElectionProject {
  id: string;
  /** In units of 10^-scale of the currency (exact: "740793.05" with scale 2 is 74079305n). */
  cost: bigint;
}

export interface ElectionBallot {
  /** Approval: the approved projects. Ordinal: most preferred first. Cumulative: with `points`. */
  projects: string[];
  /** Cumulative ballots: the points given to each of `projects`, same order. */
  points?: number[];
}

export interface Election {
  /** Decimal places of every amount; one currency unit is 10^scale. */
  scale: number;
  budget: bigint;
  voteType: VoteType;
  projects: ElectionProject[];
  ballots: ElectionBallot[];
  /** Ordinal ballots: points of the 1st, 2nd... rank (default k, k-1, ..., 1 for k = longest ballot). */
  positionalScores?: number[];
}

/** Parses "740793.05" into 74079305n at scale 2; refuses anything but a plain non-negative decimal. */
export function parseAmount(text: string, scale: number): bigint {
  const m = /^(\d{1,18})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a non-negative decimal amount: "${text.slice(0, 40)}"`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new RangeError(`"${text}" has more than ${scale} decimals`);
  return BigInt(m[1]) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
}

/** Decimal places a plain decimal needs (trailing zeros ignored). */
export function decimalsOf(text: string): number {
  const dot = text.trim().indexOf('.');
  return dot < 0 ? 0 : text.trim().slice(dot + 1).replace(/0+$/, '').length;
}

export function formatAmount(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const unit = 10n ** BigInt(scale);
  const frac = (value % unit).toString().padStart(scale, '0').replace(/0+$/, '');
  return frac ? `${value / unit}.${frac}` : (value / unit).toString();
}
