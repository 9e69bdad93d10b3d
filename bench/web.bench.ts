/**
 * `npm run bench -- web`: the resident's report form, cold, on a phone on slow 4G — Chromium's
 * emulation through the DevTools protocol: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4×
 * slower (Lighthouse's "slow 4G, mid-tier phone"). The compiled API serves the built app; a fresh
 * browser context per run (empty cache, no service worker) opens /report/new signed in as the
 * demo resident of Lille, and the figure is the time until the form is usable (its map drawn and
 * its submit button shown). Beside it, the floor of that network: a bare HTTP server answering
 * an empty page. Also prints the JavaScript of the resident entry, gzipped (target ≤ 150 KB).
 * BENCH_RUNS runs (default 5); about a minute with the build.
 */
import { execSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDatabase, loadConfig, runMigrations } from '../libs/common/src';
import { MIGRATIONS } from '../migrations';
import { seedDemo } from '../apps/cli/src/seed-demo';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';
import { fmt, median, startService } from './lib/bench-kit';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_web';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIR = join(__dirname, '..', 'dist', 'web');
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/** The gzipped size of every script the shell loads (the entry and what it imports statically). */
function entryScriptGzipBytes(): { files: string[]; bytes: number } {
  const shell = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  const files = [...shell.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.reduce((sum, file) => sum + statSync(join(WEB_DIR, `${file}.gz`)).size, 0);
  return { files, bytes };
}

async function coldLoad(browser: Browser, url: string, prepare: (page: Page) => Promise<void>, ready: (page: Page) => Promise<unknown>) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'fr-FR', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await prepare(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    return { ms: Date.now() - start, bytes };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<void> {
  console.log(`web benchmark: cold load of the report form on emulated slow 4G (150 ms RTT, 1.6 Mbit/s, CPU 4×), ${RUNS} runs`);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  await seedDemo(loadConfig({ ...process.env, DATABASE_URL }));
  console.log('building the product (npm run build)…');
  execSync('npm run -s build', { stdio: 'inherit' });

  const env = { DATABASE_URL, NODE_ENV: 'development', LOG_LEVEL: 'warn', QUEUE_PREFIX: 'civic_bench_web', RATE_LIMIT_PER_MINUTE: '1000000', MAP_TILE_URL: 'none' };
  const api = await startService('api', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api);
  const bare = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>x</title><p>ok</p>'));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'resident.lille@demo.civic.example', password: 'Demo-civic-2026!' }),
    });
    if (!login.ok) throw new Error(`demo resident login answered ${login.status}`);
    const tokens = (await login.json()) as { accessToken: string; refreshToken: string };
    // Signed in with the town chosen, as a returning resident: storage set on the origin first.
    const signIn = async (page: Page) => {
      await page.goto(`${api.url}/health`);
      await page.evaluate(
        `localStorage.setItem('civic.session', ${JSON.stringify(JSON.stringify(tokens))}); localStorage.setItem('civic.town', ${JSON.stringify(JSON.stringify({ slug: 'lille', name: 'Lille' }))})`,
      );
    };
    const formReady = (page: Page) => Promise.all([page.getByRole('button', { name: 'Envoyer le signalement' }).waitFor(), page.locator('.leaflet-container').waitFor()]);

    const product: Array<{ ms: number; bytes: number }> = [];
    const floor: Array<{ ms: number; bytes: number }> = [];
    await coldLoad(browser, `${api.url}/report/new`, signIn, formReady); // warm-up of the server side
    for (let i = 0; i < RUNS; i++) {
      product.push(await coldLoad(browser, `${api.url}/report/new`, signIn, formReady));
      floor.push(await coldLoad(browser, bareUrl, async () => undefined, (page) => page.getByText('ok').waitFor()));
    }
    const entry = entryScriptGzipBytes();
    const p = median(product.map((r) => r.ms));
    const b = median(floor.map((r) => r.ms));
    console.log('');
    console.log(`Report form, cold, slow 4G + CPU 4× — medians of ${RUNS} runs`);
    console.log('| measure | product | bare page | target |');
    console.log('|---|---|---|---|');
    console.log(`| usable after (ms) | ${fmt(p, 0)} | ${fmt(b, 0)} | < 3000 ${p < 3000 ? '✓' : '✗'} |`);
    console.log(`| transferred (KB) | ${fmt(median(product.map((r) => r.bytes)) / 1024, 1)} | ${fmt(median(floor.map((r) => r.bytes)) / 1024, 1)} | |`);
    console.log(`| resident entry JS, gzipped (KB) | ${fmt(entry.bytes / 1024, 1)} | | ≤ 150 ${entry.bytes <= 150 * 1024 ? '✓' : '✗'} |`);
    console.log(`(entry scripts: ${entry.files.join(', ')}; runs: ${product.map((r) => r.ms).join(', ')} ms)`);
  } finally {
    await browser.close();
    bare.close();
    await api.stop();
  }
}
