/**
 * The ballot rules of a budget, checked on submit. A broken rule is reported with its name and
 * figures, e.g. { rule: 'knapsack', code: 'BALLOT_OVER_BUDGET', total: 120000, limit: 100000 }.
 */
export type BallotRule =
  | { kind: 'approval'; maxProjects: number; minProjects?: number }
  | { kind: 'knapsack'; minSharePercent?: number }
  | { kind: 'cumulative'; points: number; maxPerProject: number }
  | { kind: 'ordinal'; ranks: number; scores?: number[] };

export const BALLOT_RULE_KINDS = ['approval', 'knapsack', 'cumulative', 'ordinal'] as const;

export interface BallotChoice {
  /** Project ids; for ordinal ballots, most preferred first. */
  projects: string[];
  /** Cumulative ballots: points per project, same order. */
  points?: number[];
}

export interface BallotViolation {
  code:
    | 'BALLOT_PROJECT_NOT_ON_BALLOT'
    | 'BALLOT_DUPLICATE_PROJECT'
    | 'BALLOT_TOO_MANY_PROJECTS'
    | 'BALLOT_TOO_FEW_PROJECTS'
    | 'BALLOT_OVER_BUDGET'
    | 'BALLOT_UNDER_MIN_SHARE'
    | 'BALLOT_POINTS_MISMATCH'
    | 'BALLOT_TOO_MANY_POINTS'
    | 'BALLOT_WRONG_RANK_COUNT'
    | 'BALLOT_WRONG_DISTRICT';
  rule: BallotRule['kind'];
  message: string;
  figures: Record<string, number | string>;
}

/** Why a choice breaks the rule, or null when it is a valid ballot. `costs` are the projects on the ballot. */
export function ballotViolation(rule: BallotRule, amount: number, costs: ReadonlyMap<string, number>, choice: BallotChoice): BallotViolation | null {
  const v = (code: BallotViolation['code'], message: string, figures: BallotViolation['figures']): BallotViolation => ({ code, rule: rule.kind, message, figures });
  const unknown = choice.projects.find((id) => !costs.has(id));
  if (unknown !== undefined) return v('BALLOT_PROJECT_NOT_ON_BALLOT', `Project ${unknown} is not on this ballot`, { project: unknown });
  if (new Set(choice.projects).size !== choice.projects.length) return v('BALLOT_DUPLICATE_PROJECT', 'A project is chosen twice', {});
  const n = choice.projects.length;
  switch (rule.kind) {
    case 'approval': {
      if (n > rule.maxProjects) return v('BALLOT_TOO_MANY_PROJECTS', `At most ${rule.maxProjects} projects`, { chosen: n, max: rule.maxProjects });
      const min = rule.minProjects ?? 1;
      if (n < min) return v('BALLOT_TOO_FEW_PROJECTS', `At least ${min} projects`, { chosen: n, min });
      return null;
    }
    case 'knapsack': {
      if (n === 0) return v('BALLOT_TOO_FEW_PROJECTS', 'At least 1 project', { chosen: 0, min: 1 });
      const total = choice.projects.reduce((s, id) => s + costs.get(id)!, 0);
      if (total > amount) return v('BALLOT_OVER_BUDGET', `The projects cost ${total}, over the amount of ${amount}`, { total, limit: amount });
      const min = Math.ceil((amount * (rule.minSharePercent ?? 0)) / 100);
      if (total < min) return v('BALLOT_UNDER_MIN_SHARE', `The projects cost ${total}, under the ${rule.minSharePercent} % minimum of ${min}`, { total, min, minSharePercent: rule.minSharePercent ?? 0 });
      return null;
    }
    case 'cumulative': {
      const points = choice.points ?? [];
      if (points.length !== n || points.some((p) => !Number.isInteger(p) || p < 1)) {
        return v('BALLOT_POINTS_MISMATCH', 'Give each chosen project a whole number of points (at least 1)', { projects: n, points: points.length });
      }
      const over = points.find((p) => p > rule.maxPerProject);
      if (over !== undefined) return v('BALLOT_TOO_MANY_POINTS', `At most ${rule.maxPerProject} points per project`, { given: over, maxPerProject: rule.maxPerProject });
      const total = points.reduce((s, p) => s + p, 0);
      if (total > rule.points) return v('BALLOT_TOO_MANY_POINTS', `At most ${rule.points} points in all`, { total, max: rule.points });
      if (total === 0) return v('BALLOT_TOO_FEW_PROJECTS', 'At least 1 project', { chosen: 0, min: 1 });
      return null;
    }
    case 'ordinal':
      if (n !== rule.ranks) return v('BALLOT_WRONG_RANK_COUNT', `Rank exactly ${rule.ranks} projects`, { ranked: n, required: rule.ranks });
      return null;
  }
}
