import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Mutation, MUTATIONS, mutated } from './mutations';

/**
 * `npm run test:mutate [-- id …] [--list]`: applies each listed one-line mutation to a rule that
 * matters and runs only the suites that guard it. A mutation the suites still pass "survived":
 * a test is missing. Works on a temporary copy of the tree (tracked and untracked, not ignored,
 * files; node_modules linked), so the checkout is never mutated, whatever stops the run.
 */
const root = resolve(__dirname, '../..');
/** The jest run in progress, stopped with the script. */
let running: ReturnType<typeof spawn> | null = null;

function copyTree(): string {
  const copy = mkdtempSync(join(tmpdir(), 'civic-mutate-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(copy, file));
    } catch {
      // A file deleted in the worktree but still tracked: nothing to copy.
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

function runSuites(copy: string, m: Mutation, log: string): Promise<{ passed: boolean; ms: number }> {
  const started = Date.now();
  const only = m.testNamePattern ? ['--testNamePattern', m.testNamePattern] : [];
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--maxWorkers=1', '--bail', '--ci', ...only, ...m.suites], {
      cwd: copy,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    running = child;
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', (code) => {
      running = null;
      writeFileSync(log, Buffer.concat(chunks));
      done({ passed: code === 0, ms: Date.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const m of MUTATIONS) process.stdout.write(`${m.id.padEnd(34)} ${m.rule}\n`);
    return;
  }
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((id) => !MUTATIONS.some((m) => m.id === id));
  if (unknown.length) throw new Error(`Unknown mutation(s): ${unknown.join(', ')} (see --list)`);
  const selected = wanted.length ? MUTATIONS.filter((m) => wanted.includes(m.id)) : MUTATIONS;

  const copy = copyTree();
  const cleanUp = () => rmSync(copy, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // The copy goes once jest is gone (it may still be writing there).
      const done = () => {
        cleanUp();
        process.exit(130);
      };
      if (running) {
        running.once('close', done);
        running.kill('SIGKILL');
      } else done();
    });
  }
  process.stdout.write(`Mutating a copy of the tree in ${copy}\n`);
  const survivors: Mutation[] = [];
  try {
    for (const m of selected) {
      const file = join(copy, m.file);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, mutated(original, m));
      try {
        const log = join(tmpdir(), `civic-mutate-${m.id}.log`);
        const { passed, ms } = await runSuites(copy, m, log);
        if (passed) survivors.push(m);
        process.stdout.write(`${passed ? 'SURVIVED' : 'killed  '} ${m.id.padEnd(34)} ${(ms / 1000).toFixed(0).padStart(4)} s  ${m.rule}${passed ? `\n         log: ${log}` : ''}\n`);
      } finally {
        writeFileSync(file, original);
      }
    }
  } finally {
    cleanUp();
  }
  process.stdout.write(`\n${selected.length - survivors.length} killed, ${survivors.length} survived of ${selected.length}\n`);
  if (survivors.length) {
    process.stdout.write(`Survivors (a test is missing): ${survivors.map((m) => m.id).join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 2;
});
