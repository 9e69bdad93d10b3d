import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { replayRun, type PanelRun } from '@app/panels';

/**
 * `npm run panel:draw -- run.json`: re-runs a stored panel draw (the file from
 * GET /api/v1/panels/:id/selections/:selectionId/run) from its pool snapshot, rules and seed,
 * checks the hashes, and prints the drawn members, one per line. Exit 1 when anything differs.
 * Needs no database: anyone holding the file can check the draw.
 */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npm run panel:draw -- run.json\n');
    return 2;
  }
  const run = JSON.parse(readFileSync(file, 'utf8')) as PanelRun;
  if (run.format !== 'civic-panel-run/1') {
    process.stderr.write(`${file}: not a panel run file\n`);
    return 2;
  }
  const { members, problems } = await replayRun(run);
  process.stdout.write(`# panel ${run.panelId}: ${members.length} members drawn with seed ${JSON.stringify(run.seed)}\n`);
  process.stdout.write(`# pool ${run.poolHash} rules ${run.rulesHash} algorithm ${run.algorithmVersion}\n`);
  for (const id of members) process.stdout.write(`${id}\n`);
  for (const problem of problems) process.stderr.write(`MISMATCH: ${problem}\n`);
  process.stdout.write(problems.length ? '# NOT REPRODUCED\n' : '# reproduced: same lottery, same members\n');
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
