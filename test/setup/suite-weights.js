const { readFileSync } = require('node:fs');

/**
 * A suite's expected run time in rough milliseconds when Jest has recorded none (a clean clone):
 * suites that wait for minutes (child processes, Chromium, 1,500-resident fan-outs) get a minute
 * more, and a byte of e2e spec is worth about a millisecond of run time here.
 */
const WAITS_LONG = /startWorkerProcess|spawn\(|startWebApp|launchChromium/;

function estimatedMs(path) {
  let source = '';
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  const e2e = path.endsWith('.e2e-spec.ts');
  if (e2e && WAITS_LONG.test(source)) return 60_000 + source.length;
  return e2e ? source.length : source.length / 4;
}

module.exports = { estimatedMs };
