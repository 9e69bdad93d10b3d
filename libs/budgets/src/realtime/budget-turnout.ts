import { EntityManager } from 'typeorm';

/** Ballots cast so far, online and on paper, and by the district the voters live in (null: not recorded). */
export interface BudgetTurnout {
  ballots: number;
  online: number;
  paper: number;
  byDistrict: Array<{ districtId: string | null; ballots: number }>;
}

/**
 * Counted from who voted (budget_participations, by its primary key) and where residency says
 * they live — never from the ballots, which stay sealed until the close: turnout tells nothing of
 * what was chosen, nor which heading.
 */
export async function turnoutOf(manager: EntityManager, budgetId: string, municipalityId: string): Promise<BudgetTurnout> {
  const rows: Array<{ channel: 'online' | 'paper'; district_id: string | null; n: number }> = await manager.query(
    `SELECT p.channel, r.district_id, count(*)::int AS n
       FROM budget_participations p
       LEFT JOIN residencies r ON r.municipality_id = $2 AND r.user_id = p.user_id
      WHERE p.budget_id = $1
      GROUP BY p.channel, r.district_id`,
    [budgetId, municipalityId],
  );
  const sum = (pick: (r: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((n, r) => n + r.n, 0);
  const districts = [...new Set(rows.map((r) => r.district_id))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const online = sum((r) => r.channel === 'online');
  const paper = sum((r) => r.channel === 'paper');
  return { ballots: online + paper, online, paper, byDistrict: districts.map((districtId) => ({ districtId, ballots: sum((r) => r.district_id === districtId) })) };
}
