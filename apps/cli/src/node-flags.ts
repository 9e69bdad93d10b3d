/**
 * V8 flags each app runs with, given by the supervisor (`npm start`), `npm run start:api`, the
 * Docker image and the benchmarks (which run the product as deployed).
 *
 * The API's old-space cap makes V8 collect before the process grows past it: uncapped, V8 on a
 * large machine lets an API under load keep 300–470 MB resident, mostly garbage, while its live
 * heap is ~75 MB at rest. Measured with `npm run bench -- reports`: the cap brings the peak under
 * load to ~220 MB at no measurable cost in throughput.
 *
 * Allocation-site pretenuring is off. Under the reports benchmark's list load V8 decided to
 * allocate objects of some allocation sites straight in old space (`--trace-pretenuring-statistics`
 * shows the "tenure" decisions); an old object keeps the young objects it points to alive until
 * the next full collection, and a sampling heap profile showed the rows' text that pg decodes
 * (~37 KB a page) surviving scavenges: ~25 MB/s promoted, a full mark-compact every second and
 * scavenges of 5–11 ms. Without pretenuring, ~1 MB/s promoted, no mark-compact in 8 s, and the list
 * and triage p99 fell from 23–29 ms to 13–20 ms (three alternating runs of each). The worker
 * showed no difference either way in `npm run bench -- notifications` (two alternating runs of
 * each), so it keeps V8's default.
 *
 * The worker's cap, 256 MB like the API's. Uncapped, V8 let the worker's heap reach 339 MB before
 * its first full collection during a 20,000-resident announcement (RSS 519 MB) while the live heap
 * stayed at ~117 MB (`npm run bench -- notifications` with BENCH_WORKER_FLAGS=--trace-gc). Capped
 * at 256: RSS 244 MB at most as deployed (BENCH_WORKER_DIST=1), 323 MB from source (the
 * TypeScript compiler and source maps that @swc-node/register keeps). 160 held it to 298 MB from
 * source, but a budget's tally runs in the worker and holds ~95 MB more for 100,000 ballots
 * (`npm run bench -- budgets`, tally part, --trace-gc: live heap 27 → 124 MB), which 160 would not fit.
 */
export const NODE_FLAGS: Record<'api' | 'worker', readonly string[]> = {
  api: ['--max-old-space-size=256', '--no-allocation-site-pretenuring'],
  worker: ['--max-old-space-size=256'],
};
