import { createHash } from 'node:crypto';
import type { PoolMember, Quota, SelectionDistribution, WeightedPanel } from './selection.types';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The orders the two hashes put the pool and the quotas in (the lottery is computed in them too). */
export const byMemberId = (a: Pick<PoolMember, 'id'>, b: Pick<PoolMember, 'id'>): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
export const byQuotaKey = (a: Quota, b: Quota): number => (a.feature + '\u0000' + a.value < b.feature + '\u0000' + b.value ? -1 : 1);

/**
 * Hash of the pool as drawn from: members sorted by id, one line each with the household key and
 * the feature values sorted by feature code. Published when the pool closes (the commitment), so
 * nobody can change the pool once the seed is known.
 */
export function poolSnapshotHash(members: readonly PoolMember[]): string {
  const lines = [...members]
    .sort(byMemberId)
    .map((m) => {
      const features = Object.keys(m.features)
        .sort()
        .map((f) => `${JSON.stringify(f)}=${JSON.stringify(m.features[f])}`);
      return [JSON.stringify(m.id), JSON.stringify(m.household ?? null), ...features].join('\t');
    });
  return sha256(lines.join('\n'));
}

/** Hash of the rules: size, household rule and quotas in a canonical order. */
export function rulesHash(panelSize: number, householdRule: boolean, quotas: readonly Quota[]): string {
  const sorted = [...quotas].sort(byQuotaKey);
  return sha256(JSON.stringify({ panelSize, householdRule, quotas: sorted.map((q) => [q.feature, q.value, q.min, q.max]) }));
}

export interface DrawInput {
  poolHash: string;
  rulesHash: string;
  algorithmVersion: string;
  seed: string;
}

/**
 * A uniform number in [0, 1) determined by everything the draw depends on: SHA-256 of the
 * published inputs, its first 53 bits. Nobody can choose the pool after seeing the seed (the pool
 * hash was published first), and the seed comes from a public act afterwards (dice).
 */
export function drawUniform(input: DrawInput): number {
  const digest = createHash('sha256')
    .update(['civic-panel-draw/1', input.algorithmVersion, input.poolHash, input.rulesHash, input.seed].join('\n'), 'utf8')
    .digest();
  const high = digest.readUInt32BE(0) >>> 11; // 21 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 53;
}

/** Fingerprint of a lottery, so a re-run can prove it recomputed the same distribution. */
export function distributionHash(panels: readonly WeightedPanel[]): string {
  // Probabilities rounded to 12 digits: the LP is deterministic, this only hides printing noise.
  return sha256(JSON.stringify(panels.map((p) => [p.members, p.probability.toFixed(12)])));
}

/** Picks the panel whose cumulative-probability interval (in the canonical panel order) contains u. */
export function pickPanel(distribution: Pick<SelectionDistribution, 'panels'>, u: number): string[] {
  let cumulative = 0;
  for (const panel of distribution.panels) {
    cumulative += panel.probability;
    if (u < cumulative) return panel.members;
  }
  return distribution.panels[distribution.panels.length - 1].members;
}

/**
 * The people drawn: the panel picked by `u` (drawUniform) names how many seats each class of
 * interchangeable people gets (`SelectionDistribution.classes`); who of the class takes them is a
 * uniform choice driven by a second SHA-256 stream of the same published inputs, so the whole draw
 * stays reproducible from (pool hash, rules hash, algorithm version, seed).
 */
export function drawMembers(distribution: Pick<SelectionDistribution, 'panels' | 'classes'>, input: DrawInput): string[] {
  const picked = pickPanel(distribution, drawUniform(input));
  const chosen = new Set(picked);
  const stream = hashStream(['civic-panel-draw/1:within-class', input.algorithmVersion, input.poolHash, input.rulesHash, input.seed].join('\n'));
  const result: string[] = [];
  for (const people of distribution.classes ?? []) {
    const seats = people.filter((id) => chosen.has(id)).length;
    // Partial Fisher–Yates over the class (ids ascending): its first `seats` are drawn.
    const order = [...people];
    for (let j = 0; j < seats; j++) {
      const r = j + stream(order.length - j);
      [order[j], order[r]] = [order[r], order[j]];
    }
    for (const id of people) chosen.delete(id);
    result.push(...order.slice(0, seats));
  }
  return [...result, ...chosen].sort();
}

/** Uniform integers in [0, bound) from SHA-256(prefix, counter), by rejection (no modulo bias). */
function hashStream(prefix: string): (bound: number) => number {
  let counter = 0;
  return (bound) => {
    const limit = Math.floor(2 ** 32 / bound) * bound;
    for (;;) {
      const x = createHash('sha256').update(`${prefix}\n${counter++}`, 'utf8').digest().readUInt32BE(0);
      if (x < limit) return x % bound;
    }
  };
}
