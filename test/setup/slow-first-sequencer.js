const Sequencer = require('@jest/test-sequencer').default;
const { GROUPS_DIR, groupMembers } = require('./e2e-groups');
const { estimatedMs } = require('./suite-weights');

/**
 * Jest runs the slowest suites first when its cache knows their durations; on a clean clone it
 * knows none and orders by file size, which put small suites that wait for minutes (child
 * processes, Chromium, 1,500-resident fan-outs) last, each a tail on a 2-core run. Without a
 * recorded duration this estimates one (test/setup/suite-weights.js; a group of e2e suites weighs
 * what its members do). Failed suites still go first, and recorded durations win once there are some.
 */
class SlowFirstSequencer extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    if (test.path.startsWith(GROUPS_DIR)) return groupMembers(test.path).reduce((sum, path) => sum + estimatedMs(path), 0);
    return estimatedMs(test.path);
  }
}

module.exports = SlowFirstSequencer;
