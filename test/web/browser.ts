import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Download, type Page } from 'playwright-core';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../utils/shared-chromium';

export { CHROMIUM_PATH } from '../utils/shared-chromium';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`; .ci/run installs it) through
 * playwright-core against the real API serving the real build of apps/web.
 */
export const WEB_DIR = join(__dirname, '..', '..', 'dist', 'web');
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

/** `npm test` builds the app first; a lone `npx jest test/web/...` builds it when it is missing. */
export function ensureWebBuild(): void {
  if (existsSync(join(WEB_DIR, 'index.html'))) return;
  execFileSync('npm', ['run', 'build:web'], { cwd: join(__dirname, '..', '..'), stdio: 'inherit' });
}

/**
 * The run's Chromium (global setup starts one for all browser suites: ~2 s of CPU a launch),
 * or a Chromium of the file's own when the tests run without it. Each suite works in browser
 * contexts of its own either way; closing the returned Browser closes them.
 */
export async function launchChromium(): Promise<Browser> {
  if (process.env.TEST_CHROMIUM_WS) return chromium.connect(process.env.TEST_CHROMIUM_WS);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface WebApp {
  t: TestApp;
  browser: Browser;
  /** Closes the browser, then the API. */
  close(): Promise<void>;
}

/**
 * What every browser suite starts with: the API listening and serving the web build (maps
 * without tiles unless `env` says otherwise), and one Chromium for the whole file, launched while
 * the API boots.
 */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  ensureWebBuild();
  const [app, chromiumStarted] = await Promise.allSettled([createTestApp({ listen: true, env: { MAP_TILE_URL: 'none', ...env } }), launchChromium()]);
  if (app.status === 'rejected' || chromiumStarted.status === 'rejected') {
    if (app.status === 'fulfilled') await app.value.close();
    if (chromiumStarted.status === 'fulfilled') await chromiumStarted.value.close();
    throw app.status === 'rejected' ? app.reason : (chromiumStarted as PromiseRejectedResult).reason;
  }
  const t = app.value;
  const browser = chromiumStarted.value;
  return {
    t,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * A browser context at one viewport and language. Every CSP violation or uncaught error of its
 * pages is recorded: a test ends with `expect(problems).toEqual([])`.
 */
export async function openContext(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number },
  locale: 'fr-FR' | 'en-US',
  options: { serviceWorkers?: 'allow' | 'block' } = {},
) {
  // Service workers are blocked unless a test is about them (web push): the cached shell would hide a fresh build.
  const context = await browser.newContext({ baseURL, viewport, locale, serviceWorkers: options.serviceWorkers ?? 'block' });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
  };
  context.on('page', watch);
  return { context, problems };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules).
 * Injected through the DevTools protocol (page.evaluate), which the strict CSP does not block.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const violations = (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails naming the page (`what`) when axe finds a serious or critical violation on it. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  expect({ what, violations: await seriousAxeViolations(page) }).toEqual({ what, violations: [] });
}

/** With WEB_SCREENSHOTS=1, saves the page into apps/web/docs/ (shown in apps/web/README.md). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.WEB_SCREENSHOTS !== '1') return;
  const dir = join(__dirname, '..', '..', 'apps', 'web', 'docs');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/**
 * Chooses the town on this device as the choose-town screen does (localStorage `civic.town`),
 * then reloads. For suites on the shared test database, whose town list holds every suite's towns
 * (the screen shows the first 100); test/web/resident-and-triage.e2e-spec.ts drives the screen itself.
 */
export async function chooseTownOnDevice(page: Page, town: { slug: string; name: string }): Promise<void> {
  await page.evaluate(`localStorage.setItem('civic.town', ${JSON.stringify(JSON.stringify({ slug: town.slug, name: town.name }))})`);
  await page.reload();
}

export type { Browser, BrowserContext, Page };

/** A download's content (streamed: the run's shared Chromium keeps its files on its side). */
export async function downloadedText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
