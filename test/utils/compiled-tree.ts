import { Options, transformFile } from '@swc/core';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** What the API, the worker and the CLI tools are made of (the web app's sources are Vite's). */
const SOURCE_DIRS = ['apps', 'libs', 'migrations'];
const SKIPPED_DIRS = new Set([join(ROOT, 'apps', 'web', 'src'), join(ROOT, 'apps', 'web', 'dist')]);

/**
 * Tests that need a real process (the worker killed mid-job, `npm start`, a refused
 * configuration, a CLI tool) used to run it from TypeScript through @swc-node/register, which
 * compiled the whole import graph again in every process: about 4.5 s of CPU each, two dozen
 * times a run. global-setup compiles the tree once into TEST_BUILD_DIR instead, with the options
 * the suites themselves are compiled with (.swcrc, tsconfig's aliases), and those tests run the
 * JavaScript there — as `npm start` runs dist/. Compiled from this checkout, so the mutation
 * check's altered copies reach the processes too.
 */
export async function compileTree(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const options = swcOptions();
  const files = SOURCE_DIRS.flatMap((dir) => typeScriptFiles(join(ROOT, dir)));
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(file, { ...options, filename: file });
      const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  // Packages resolve from the checkout's node_modules; generate-api-types compares with the web
  // app's schema.d.ts beside its sources (../src/api from its own directory).
  symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'apps', 'web', 'src'), join(outDir, 'apps', 'web', 'src'), 'dir');
}

/** The compiled form of an entry point, given as its TypeScript path from the checkout's root. */
export function compiledEntry(sourcePath: string): string {
  const dir = process.env.TEST_BUILD_DIR;
  if (!dir) throw new Error('TEST_BUILD_DIR is not set: run the suites through Jest (test/setup/global-setup.ts compiles the tree)');
  return join(dir, sourcePath.replace(/\.ts$/, '.js'));
}

function swcOptions(): Options {
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8')) as Options & { $schema?: string };
  delete swcrc.$schema;
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  return {
    ...swcrc,
    swcrc: false,
    sourceMaps: false,
    // tsconfig.json has every library's alias (.swcrc lists the first ones; Jest maps the rest).
    jsc: { ...swcrc.jsc, baseUrl: ROOT, paths: tsconfig.compilerOptions.paths },
  };
}

function typeScriptFiles(dir: string): string[] {
  if (SKIPPED_DIRS.has(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}
