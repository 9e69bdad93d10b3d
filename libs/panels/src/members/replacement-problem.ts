import type { PoolMember, Quota, SelectionProblem } from '../selection/selection.types';

/** Someone holding a seat while others are drawn to fill the rest. */
export interface SeatedMember {
  selectionId: string;
  features: Record<string, string>;
  household: string | null;
}

export interface ReplacementProblem {
  problem: SelectionProblem & { members: PoolMember[]; quotas: Quota[] };
  vacancies: number;
  /** The quotas left for the vacancies: each [min, max] less the seats the seated already fill. */
  quotas: Quota[];
}

/**
 * The draw that fills `size − seated` vacancies so that seated + drawn meet every quota and the
 * household rule: the committed pool less everyone ever drawn for this panel, less profiles
 * withdrawn since, less the seated members' households; each quota shifted by the seated members
 * having its value (min floored at 0). Maximin on this smaller problem gives the fairest lottery
 * over the ways to complete the panel.
 */
export function replacementProblem(input: {
  pool: readonly PoolMember[];
  quotas: readonly Quota[];
  size: number;
  householdRule: boolean;
  seated: readonly SeatedMember[];
  /** Selection ids of everyone ever drawn for the panel (whatever became of them). */
  everDrawn: ReadonlySet<string>;
  /** Selection ids whose pool profile still exists (a withdrawn volunteer is gone). */
  stillInPool: ReadonlySet<string>;
}): ReplacementProblem {
  const vacancies = input.size - input.seated.length;
  const quotas = input.quotas.map((q) => {
    const filled = input.seated.filter((m) => m.features[q.feature] === q.value).length;
    return { feature: q.feature, value: q.value, min: Math.max(0, q.min - filled), max: q.max - filled };
  });
  const takenHouseholds = new Set(input.seated.map((m) => m.household).filter((h): h is string => !!h));
  const members = input.pool.filter(
    (m) => !input.everDrawn.has(m.id) && input.stillInPool.has(m.id) && !(input.householdRule && m.household && takenHouseholds.has(m.household)),
  );
  return { problem: { members, quotas: quotas.map((q) => ({ ...q, max: Math.max(0, q.max) })), panelSize: vacancies, householdRule: input.householdRule }, vacancies, quotas };
}

const dayOf = (at: Date | null): number => Math.floor((at?.getTime() ?? 0) / 86_400_000);

/**
 * Seated members in the order they rotate out: the longest-serving first (by the day they became
 * active, so a term's first members are equals), then by a seeded order nobody chose.
 */
export function rotationOrder<T extends { selectionId: string; activatedAt: Date | null }>(members: readonly T[], tieBreak: (selectionId: string) => string): T[] {
  return [...members].sort((a, b) => dayOf(a.activatedAt) - dayOf(b.activatedAt) || (tieBreak(a.selectionId) < tieBreak(b.selectionId) ? -1 : 1));
}
