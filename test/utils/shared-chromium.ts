import { existsSync } from 'node:fs';
import { type BrowserServer, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage'];

let server: BrowserServer | undefined;

/**
 * One Chromium for the whole run, which browser suites connect to (TEST_CHROMIUM_WS; see
 * launchChromium): a launch costs about 2 s of CPU, and two dozen suites launched their own.
 * Not started when Chromium is missing (the suites then say so) or when the run's path patterns
 * cannot reach test/web.
 */
export async function startSharedChromium(pathPatterns: string[]): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) return;
  if (pathPatterns.length > 0 && !pathPatterns.some((p) => /web|browser/i.test(p))) return;
  server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  process.env.TEST_CHROMIUM_WS = server.wsEndpoint();
}

export async function stopSharedChromium(): Promise<void> {
  await server?.close();
  server = undefined;
}
