/**
 * npm run content:check [-- --dir <path>] [-- --strict]
 *
 * Loads and validates a content bank (content/ by default). Exits 0 with a summary when the bank
 * is valid, or 1 printing every error on its own line as `file: challenge-id: field: message`.
 * With --strict, the coverage targets (framework shape and number of validated challenges) must
 * also be met.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { computeCoverageNotes, formatContentIssue } from '../src/framework/domain/content-validation.js';
import { DEFAULT_CONTENT_DIR, loadContent } from '../src/framework/infrastructure/content/content-loader.js';
import { computeContentStats } from '../src/framework/infrastructure/content/content-stats.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run content:check [-- --dir <content folder>] [--strict]');
  process.exit(0);
}

const dir = path.resolve(values.dir ?? DEFAULT_CONTENT_DIR);
const shownDir = (path.relative(process.cwd(), dir) || '.').split(path.sep).join('/');
const result = await loadContent({ dir });
const duration = `${result.durationMs.toFixed(0)} ms`;

if (!result.ok) {
  for (const error of result.errors) {
    console.log(formatContentIssue({ ...error, file: path.posix.join(shownDir, error.file) }));
  }
  console.error(
    `\n✗ ${result.errors.length} error(s) in ${shownDir} (${result.fileCount} files, ${duration}): the bank is refused.`,
  );
  process.exit(1);
}

const { framework } = result.content;
const stats = computeContentStats(framework);
const notes = computeCoverageNotes(framework);
const frameworkNotes = notes.filter((note) => note.scope === 'framework');
const bankNotes = notes.filter((note) => note.scope === 'bank');
const { targets } = stats;

console.log(
  `✓ Content bank ${shownDir} is valid: ${result.fileCount} files loaded and validated in ${duration}.`,
);
console.log(
  `  Framework: ${stats.framework.areas} areas, ${stats.framework.competences} competences, ` +
    `${stats.framework.thematics} thematics, ${stats.framework.tubes} tubes, ${stats.framework.skills} skills, ` +
    `${framework.tutorials.length} tutorials (${stats.framework.tutorials.fr} fr, ${stats.framework.tutorials.en} en).`,
);
console.log(
  `  Skills per level: ${Object.entries(stats.framework.skillsPerLevel)
    .map(([level, count]) => `${level}: ${count}`)
    .join(', ')}.`,
);
console.log(
  `  Challenges: ${framework.challenges.length} (${stats.byStatus.validated} validated, ` +
    `${stats.byStatus.draft} draft, ${stats.byStatus.archived} archived).`,
);
if (frameworkNotes.length === 0) {
  console.log('  Framework coverage: complete.');
} else {
  console.log(`  Framework coverage: ${frameworkNotes.length} gap(s):`);
  for (const note of frameworkNotes) console.log(`    - ${note.id || 'bank'}: ${note.message}`);
}
console.log(
  `  Bank targets: ${targets.validatedChallenges.current}/${targets.validatedChallenges.target} validated challenges; ` +
    `${targets.competencesCovered.current}/${targets.competencesCovered.target} competences with ≥ ${targets.competencesCovered.minPerCompetence}; ` +
    `${targets.skillsCovered.current}/${targets.skillsCovered.target} skills with ≥ ${targets.skillsCovered.minPerSkill}.`,
);

if (values.strict && notes.length > 0) {
  for (const note of bankNotes) console.log(`    - ${note.id || 'bank'}: ${note.message}`);
  console.error(`\n✗ --strict: ${notes.length} coverage target(s) not met.`);
  process.exit(1);
}
