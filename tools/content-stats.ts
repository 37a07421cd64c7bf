/**
 * npm run content:stats [-- --json] [-- --dir <path>]
 *
 * Figures about the content bank. Every count is of validated challenges, except `byStatus`.
 * --json prints one JSON object (see ContentStats in
 * src/framework/infrastructure/content/content-stats.ts); otherwise a readable table.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatContentIssue } from '../src/framework/domain/content-validation.js';
import { DEFAULT_CONTENT_DIR, loadContent } from '../src/framework/infrastructure/content/content-loader.js';
import { computeContentStats } from '../src/framework/infrastructure/content/content-stats.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const dir = path.resolve(values.dir ?? DEFAULT_CONTENT_DIR);
const result = await loadContent({ dir });
if (!result.ok) {
  const shownDir = (path.relative(process.cwd(), dir) || '.').split(path.sep).join('/');
  for (const error of result.errors) {
    console.error(formatContentIssue({ ...error, file: path.posix.join(shownDir, error.file) }));
  }
  console.error(`\n✗ ${result.errors.length} error(s): run npm run content:check for details.`);
  process.exit(1);
}

const stats = computeContentStats(result.content.framework);
if (values.json) {
  console.log(JSON.stringify(stats));
  process.exit(0);
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
const statuses = ['validated', 'draft', 'archived'] as const;
console.log('Challenges per competence (validated unless the column says otherwise)\n');
console.log(
  `  competence  validated   draft  archived   skills  skills ≥ ${stats.targets.skillsCovered.minPerSkill}`,
);
for (const [code, competence] of Object.entries(stats.perCompetence)) {
  console.log(
    `  ${code.padEnd(10)}  ${pad(competence.total, 9)}  ${pad(competence.byStatus.draft, 6)}  ` +
      `${pad(competence.byStatus.archived, 8)}  ${pad(competence.skills, 7)}  ${pad(competence.skillsCovered, 10)}`,
  );
}
console.log(
  `  ${'total'.padEnd(10)}  ${pad(stats.total, 9)}  ${pad(stats.byStatus.draft, 6)}  ${pad(stats.byStatus.archived, 8)}`,
);
console.log(`\nBy status:  ${statuses.map((status) => `${status} ${stats.byStatus[status]}`).join(', ')}`);
console.log(
  `By level:   ${Object.entries(stats.perLevel)
    .map(([level, n]) => `${level}: ${n}`)
    .join(', ')}`,
);
console.log(
  `By type:    ${Object.entries(stats.perType)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ')}`,
);
console.log(`Locales:    fr ${stats.locales.fr}, en ${stats.locales.en}`);
console.log(
  `Features:   ${stats.attachments} with attachments (${stats.attachmentFiles} files), ${stats.embeds} embeds ` +
    `(${stats.simulators} simulators), ${stats.timed} timed, ${stats.focused} focused, ${stats.illustrated} illustrated`,
);
console.log(
  `Access:     ${stats.accessibility.blind} blind-compatible, ${stats.accessibility.colorBlind} colour-blind-compatible`,
);
console.log(`IRT:        ${stats.irt.derived} derived, ${stats.irt.calibrated} calibrated`);
console.log(
  `Targets:    ${stats.targets.validatedChallenges.current}/${stats.targets.validatedChallenges.target} validated, ` +
    `${stats.targets.competencesCovered.current}/${stats.targets.competencesCovered.target} competences covered, ` +
    `${stats.targets.skillsCovered.current}/${stats.targets.skillsCovered.target} skills covered`,
);
