const Sequencer = require('@jest/test-sequencer').default;
const { GROUPS_DIR, groupMembers, specMs } = require('./e2e-groups');
const { estimatedMs } = require('./suite-weights');

/**
 * Jest runs the slowest suites first when its cache knows their durations; on a clean clone it
 * knows none and orders by file size, which put small suites that wait for minutes (child
 * processes, Chromium, 1,500-resident fan-outs) last, each a tail on a 2-core run. Without a
 * recorded duration this estimates one (test/setup/suite-weights.js). A group of e2e suites weighs
 * what its members were measured to take (test/setup/e2e-groups.js). Failed suites still go first.
 */
class SlowFirstSequencer extends Sequencer {
  time(test) {
    // A group's members change as measured times repack them: Jest's record of it is stale.
    if (test.path.startsWith(GROUPS_DIR)) return groupMembers(test.path).reduce((sum, path) => sum + specMs(path), 0);
    return super.time(test) ?? estimatedMs(test.path);
  }
}

module.exports = SlowFirstSequencer;
