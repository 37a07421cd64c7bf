// Mocha's spec reporter, plus a JSON summary written where tools/run-tests.ts asks for it,
// so that the runner can print one total line for every test level.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TEST_SUMMARY_FILE;
      if (!file) return;
      const { passes, failures, pending, duration } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, duration }));
    });
  }
}

module.exports = SummaryReporter;
