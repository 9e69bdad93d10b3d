/**
 * `npm run bench -- <name>` runs bench/<name>.bench.ts, whose exported `run()` starts the product
 * and a bare baseline side by side and prints both with their ratio. Without a name, lists them.
 * Each benchmark bounds its own duration (environment knobs are documented at its top).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SUFFIX = '.bench.ts';

function available(): string[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
}

async function main(): Promise<number> {
  const name = process.argv[2];
  const names = available();
  if (!name || !names.includes(name)) {
    if (name) console.error(`no benchmark named "${name}"`);
    console.error(`usage: npm run bench -- <name>\navailable: ${names.join(', ') || '(none)'}`);
    return name ? 1 : 0;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bench = require(join(__dirname, `${name}${SUFFIX}`)) as { run?: () => Promise<void> };
  if (typeof bench.run !== 'function') {
    console.error(`bench/${name}${SUFFIX} does not export run()`);
    return 1;
  }
  await bench.run();
  return 0;
}

main().then(
  // Explicit exit: a benchmark may leave pools or sockets of the load generator behind.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
