const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest runs the slowest suites first when its cache knows their durations; on a clean clone it
 * knows none and orders by file size, which put small suites that wait for minutes (child
 * processes, Chromium, 1,500-resident fan-outs) last, each a tail on a 2-core run. Without a
 * recorded duration this estimates one: such suites first, then the e2e suites by size, then the
 * unit specs. Failed suites still go first, and recorded durations win once there are some.
 */
const WAITS_LONG = /startWorkerProcess|spawn\(|startWebApp|launchChromium/;

class SlowFirstSequencer extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    let source = '';
    try {
      source = readFileSync(test.path, 'utf8');
    } catch {
      return 0;
    }
    const e2e = test.path.endsWith('.e2e-spec.ts');
    // Rough milliseconds: a byte of e2e spec is worth about a millisecond of run time here.
    if (e2e && WAITS_LONG.test(source)) return 60_000 + source.length;
    return e2e ? source.length : source.length / 4;
  }
}

module.exports = SlowFirstSequencer;
