import loadHighs, { type Highs } from 'highs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let loading: Promise<Highs> | undefined;

/**
 * The HiGHS WebAssembly runtime, loaded once per process. Solves are synchronous and single
 * threaded: a selection blocks the event loop for its duration, which is why the API computes it
 * on demand for staff only and the benchmark bounds it.
 */
export function highsSolver(): Promise<Highs> {
  loading ??= loadHighs();
  return loading;
}

/** The installed HiGHS version: part of the algorithm version, since a solver change may pick another optimal vertex. */
export function highsVersion(): string {
  const entry = require.resolve('highs');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
