import { Injectable } from '@nestjs/common';
import { AudienceProvider, AudienceScope, AudienceTargetInvalidError, NotificationAudience } from '@app/notifications';
import { EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function budgetId(target: string | null): string {
  if (!target || !UUID.test(target)) throw new AudienceTargetInvalidError('budget.eligible needs a target: the budget id');
  return target.toLowerCase();
}

/**
 * The residents who may vote in a budget: verified residents of its town, born early enough when
 * it has a minimum age (eligibility.ts: calendar years). Walked by the residencies primary key
 * (municipality_id, user_id). A district-only budget still reaches everyone: town-wide projects
 * are open to all, and each resident's own district is on the ballot.
 */
@Injectable()
@NotificationAudience({ kind: 'budget.eligible', target: '<budget id>', label: { fr: "Les habitants qui peuvent voter à un budget participatif", en: 'The residents who may vote in a participatory budget' } })
export class BudgetEligibleAudience implements AudienceProvider {
  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM budgets WHERE id = $1 AND municipality_id = $2`, [budgetId(scope.target), scope.municipalityId]);
    if (rows.length === 0) throw new AudienceTargetInvalidError('no such budget in this municipality');
  }

  async count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM residencies r ${ELIGIBLE_RESIDENCIES}`, [budgetId(scope.target)]);
    return n;
  }

  async page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT r.user_id FROM residencies r ${ELIGIBLE_RESIDENCIES} AND ($2::uuid IS NULL OR r.user_id > $2::uuid) ORDER BY r.user_id LIMIT $3`,
      [budgetId(scope.target), after, limit],
    );
    return rows.map((r) => r.user_id);
  }
}

/** Residencies of the budget's town, old enough for it ($1: the budget). */
export const ELIGIBLE_RESIDENCIES = `JOIN budgets b ON b.id = $1 AND r.municipality_id = b.municipality_id
  WHERE (NOT (b.eligibility ? 'minimumAge') OR (r.birth_year IS NOT NULL
         AND extract(year FROM now())::int - r.birth_year >= (b.eligibility->>'minimumAge')::int))`;
