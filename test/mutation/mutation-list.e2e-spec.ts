import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MUTATIONS, mutated } from './mutations';

/**
 * The mutation check (`npm run test:mutate`) is not part of `npm test`, so a refactor could leave
 * a find string behind and only the next mutation run would notice. This keeps the list current:
 * each mutation still applies to today's code, changes it, and names suites that exist.
 */
const root = resolve(__dirname, '../..');

describe('the mutation list (npm run test:mutate) applies to the code as it is', () => {
  it.each(MUTATIONS.map((m) => [m.id, m] as const))('%s', (_id, m) => {
    const source = readFileSync(join(root, m.file), 'utf8');
    expect(mutated(source, m)).not.toBe(source);
    for (const suite of m.suites) expect(existsSync(join(root, suite))).toBe(true);
  });

  it('has no two mutations with one id', () => {
    expect(new Set(MUTATIONS.map((m) => m.id)).size).toBe(MUTATIONS.length);
  });
});
