/** One person who can be drawn: a volunteer or an imported resident, with one value per feature. */
export interface PoolMember {
  /** Stable id within the pool (volunteer id or external id). */
  id: string;
  /** feature code → value code; every feature of the panel must have a value. */
  features: Readonly<Record<string, string>>;
  /** Household key for the household rule (at most one member per household); null when unknown. */
  household?: string | null;
}

/** Seats for the people having `value` for `feature`: at least `min`, at most `max`. */
export interface Quota {
  feature: string;
  value: string;
  min: number;
  max: number;
}

export interface SelectionProblem {
  members: readonly PoolMember[];
  quotas: readonly Quota[];
  panelSize: number;
  /** At most one member per household key. */
  householdRule: boolean;
}

/** A feasible panel and the probability the distribution gives it. */
export interface WeightedPanel {
  /** Member ids, sorted. */
  members: string[];
  probability: number;
}

export interface SelectionDistribution {
  algorithmVersion: string;
  panels: WeightedPanel[];
  /** id → probability of being on the drawn panel (sum over the panels containing the person). */
  probabilities: Record<string, number>;
  /** The smallest probability among people who can be on some valid panel. */
  minimumProbability: number;
  /** Proven upper bound on the best achievable minimum: the least of the relaxation LP, the counting bound and the pricing MIPs' dual bounds. */
  minimumProbabilityUpperBound: number;
  /** 1 − minimum / upper bound: how far from the best possible minimum the lottery may be, proven (≤ CERTIFIED_GAP). */
  certifiedGap: number;
  /** People no valid panel can contain (their probability is 0 whatever the algorithm). */
  unreachable: string[];
  /**
   * Classes of two or more interchangeable people (same value for every feature, no housemate in
   * the pool), ids ascending. A panel of `panels` fixes how many seats each class gets; the draw
   * (`drawMembers`) chooses who in the class takes them, uniformly. Absent before algorithm /5.
   */
  classes?: string[][];
  stats: { panelsGenerated: number; pricingRounds: number; mipRounds: number; milliseconds: number };
}
