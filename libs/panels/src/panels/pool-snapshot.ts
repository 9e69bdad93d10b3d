import { createHash } from 'node:crypto';
import type { PoolMemberEntity } from '../pool/pool-member.entity';
import type { PoolMember } from '../selection/selection.types';
import type { PanelEntity } from './panel.entity';

/** How a person is named in selections: the CSV's external id, or the volunteer profile's id. */
export const selectionIdOf = (row: Pick<PoolMemberEntity, 'id' | 'externalId'>): string => row.externalId ?? row.id;

/** Same address however it was typed: case, accents, punctuation and spacing ignored. */
export function normalizeAddress(address: string): string {
  return address
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The pool as the selection sees it. Household keys are hashed with the panel id: the rule
 * needs only their equality, and the stored snapshot and run file then hold no address.
 */
export function poolSnapshot(panel: Pick<PanelEntity, 'id' | 'householdRule'>, rows: PoolMemberEntity[]): PoolMember[] {
  return rows.map((row) => {
    const key = row.household ?? (row.address ? normalizeAddress(row.address) : null);
    return {
      id: selectionIdOf(row),
      features: row.features,
      household: key ? createHash('sha256').update(`${panel.id}\n${key}`).digest('hex').slice(0, 32) : null,
    };
  });
}
