/**
 * V8 flags each app runs with, given by the supervisor (`npm start`), `npm run start:api`, the
 * Docker image and the benchmarks (which run the product as deployed).
 *
 * The API's old-space cap makes V8 collect before the process grows past it: uncapped, V8 on a
 * large machine lets an API under load keep 300–470 MB resident, mostly garbage, while its live
 * heap is ~75 MB at rest. Measured with `npm run bench -- reports`: the cap brings the peak under
 * load to ~220 MB at no measurable cost in throughput.
 */
export const NODE_FLAGS: Record<'api' | 'worker', readonly string[]> = {
  api: ['--max-old-space-size=256'],
  worker: [],
};
