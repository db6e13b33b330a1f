// Starts the longest suites first, so that neither of the two workers is left with a long one at the end.
// Jest orders by the durations it cached from earlier runs, and with no cache (a fresh clone in CI) by file
// size, which puts the browser suite (its scenarios live in other files) near the end. Durations seen on
// this 2-core machine, in seconds; a suite not named here keeps Jest's own order after these.
const Sequencer = require('@jest/test-sequencer').default;

const SLOW_FIRST = [
  'tests/e2e/same-instant.e2e-spec.ts', // ~210
  'tests/e2e/web.e2e-spec.ts', // ~190
  'tests/e2e/stack.e2e-spec.ts', // ~185
  'tests/e2e/schemathesis.e2e-spec.ts', // ~95
  'tests/e2e/notice-delivery.e2e-spec.ts', // ~95
  'tests/workflows/blocker-concurrency.spec.ts', // ~80
  'tests/e2e/ledger.e2e-spec.ts', // ~60
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = SLOW_FIRST.findIndex((p) => t.path.endsWith(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    const jestOrder = super.sort(tests);
    return [...jestOrder].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
