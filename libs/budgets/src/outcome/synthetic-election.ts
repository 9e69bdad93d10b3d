import { Election } from './election';

/** mulberry32: a small deterministic PRNG, so benchmarks and tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic approval election for benchmarks: projects of uneven popularity (Zipf-like), each
 * voter approving 1 to `maxApprovals` of them, costs from 5,000 to 500,000, the amount a third of
 * the total cost.
 */
export function syntheticApprovalElection(voters: number, projects: number, seed = 1, maxApprovals = 10): Election {
  const rand = prng(seed);
  const list = Array.from({ length: projects }, (_, i) => ({ id: String(i + 1), cost: BigInt(5_000 + Math.floor(rand() * 495) * 1_000) }));
  const weights = list.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative: number[] = [];
  weights.reduce((s, w, i) => (cumulative[i] = s + w / total), 0);
  const ballots = Array.from({ length: voters }, () => {
    const k = 1 + Math.floor(rand() * maxApprovals);
    const chosen = new Set<string>();
    while (chosen.size < k) {
      const r = rand();
      let i = cumulative.findIndex((c) => c >= r);
      if (i < 0) i = projects - 1;
      chosen.add(list[i].id);
    }
    return { projects: [...chosen] };
  });
  const budget = list.reduce((s, p) => s + p.cost, 0n) / 3n;
  return { scale: 0, budget, voteType: 'approval', projects: list, ballots };
}
