import { createHash } from 'node:crypto';
import type { PoolMember, Quota } from '../../libs/panels/src/selection/selection.types';

/**
 * A volunteer pool shaped like real recruitment: each feature's values have population shares
 * (quotas are set from them, ±10 %), while volunteers over-represent some values (self-selection),
 * so quotas bind and probabilities differ. Deterministic for a given seed.
 */
export function syntheticPool(options: { people: number; valuesPerFeature: number[]; panelSize: number; seed: string }): {
  members: PoolMember[];
  quotas: Quota[];
} {
  let counter = 0;
  const random = (): number => {
    const digest = createHash('sha256').update(`${options.seed}:${counter++}`).digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  };
  const features = options.valuesPerFeature.map((count, f) => {
    const population = Array.from({ length: count }, (_, v) => 1 + ((v * 7 + f) % 5));
    const volunteers = population.map((w, v) => w * (v % 3 === 0 ? 2 : v % 3 === 1 ? 1 : 0.5));
    return { code: `f${f + 1}`, values: population.map((_, v) => `v${v + 1}`), population, volunteers };
  });
  const pick = (weights: number[]): number => {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = random() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
    return weights.length - 1;
  };
  const members = Array.from({ length: options.people }, (_, i) => ({
    id: `p${String(i).padStart(5, '0')}`,
    features: Object.fromEntries(features.map((f) => [f.code, f.values[pick(f.volunteers)]])),
    household: null,
  }));
  const quotas = features.flatMap((f) => {
    const total = f.population.reduce((s, w) => s + w, 0);
    return f.values.map((value, v) => {
      const ideal = (options.panelSize * f.population[v]) / total;
      return { feature: f.code, value, min: Math.floor(ideal * 0.9), max: Math.ceil(ideal * 1.1) };
    });
  });
  return { members, quotas };
}
