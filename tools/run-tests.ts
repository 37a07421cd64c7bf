/**
 * Runs the test levels, each in its own mocha process, and prints one closing line:
 *   tests: N passed, N failed, N skipped
 * - unit: no database is started, and MONGODB_URI points nowhere, so a unit test cannot reach one;
 * - integration and acceptance: the embedded engine (or MONGODB_URI) through test/support/global-engine.ts;
 * - e2e: the same, once browser tests exist.
 * Usage: tsx tools/run-tests.ts [level …]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const LEVELS = ['unit', 'integration', 'acceptance', 'e2e'] as const;
type Level = (typeof LEVELS)[number];
const UNREACHABLE_DATABASE = 'mongodb://should-not-reach-a-database-in-unit-tests.invalid:1/none';

function hasTests(directory: string): boolean {
  if (!existsSync(directory)) return false;
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).some((file) =>
    file.endsWith('.test.ts'),
  );
}

interface Summary {
  passes: number;
  failures: number;
  pending: number;
  duration: number;
}

function runLevel(level: Level): Promise<Summary & { exitCode: number }> {
  const summaryFile = path.join(tmpdir(), `pix-lti-${level}-${process.pid}.json`);
  const args = ['--reporter', './test/support/summary-reporter.cjs', `test/${level}/**/*.test.ts`];
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', TEST_SUMMARY_FILE: summaryFile };
  if (level === 'unit') {
    env.MONGODB_URI = UNREACHABLE_DATABASE;
  } else {
    args.unshift('--require', './test/support/global-engine.ts', '--timeout', '20000');
  }
  if (level === 'e2e') args.unshift('--timeout', '60000');
  return new Promise((resolve) => {
    const child = spawn(path.join('node_modules', '.bin', 'mocha'), args, { stdio: 'inherit', env });
    child.on('close', (code) => {
      let summary: Summary = { passes: 0, failures: 1, pending: 0, duration: 0 };
      if (existsSync(summaryFile)) {
        summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
        rmSync(summaryFile, { force: true });
      } else {
        process.stderr.write(
          `The ${level} level ended before reporting (exit ${code}): counted as failed.\n`,
        );
      }
      resolve({ ...summary, exitCode: code ?? 1 });
    });
  });
}

async function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((level) => !(LEVELS as readonly string[]).includes(level));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown test level(s): ${unknown.join(', ')}. Levels: ${LEVELS.join(', ')}.\n`);
    process.exit(2);
  }
  const levels = (requested.length > 0 ? requested : LEVELS) as Level[];
  const totals = { passes: 0, failures: 0, pending: 0 };
  const lines: string[] = [];
  let failed = false;
  for (const level of levels) {
    if (!hasTests(path.join('test', level))) {
      lines.push(`  ${level.padEnd(12)} no tests yet`);
      continue;
    }
    process.stdout.write(`\n━━ ${level} tests ━━\n`);
    const result = await runLevel(level);
    totals.passes += result.passes;
    totals.failures += result.failures;
    totals.pending += result.pending;
    failed ||= result.exitCode !== 0 || result.failures > 0;
    lines.push(
      `  ${level.padEnd(12)} ${result.passes} passed, ${result.failures} failed, ${result.pending} skipped` +
        ` (${(result.duration / 1000).toFixed(1)} s)`,
    );
  }
  process.stdout.write(`\nTest levels:\n${lines.join('\n')}\n`);
  process.stdout.write(
    `tests: ${totals.passes} passed, ${totals.failures} failed, ${totals.pending} skipped\n`,
  );
  process.exit(failed ? 1 : 0);
}

void main();
