import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FrozenMap } from '../../../../src/framework/domain/content-index.js';
import {
  computeCoverageNotes,
  formatContentIssue,
} from '../../../../src/framework/domain/content-validation.js';
import {
  ContentValidationError,
  loadContent,
  loadContentOrThrow,
  type ContentError,
  type LoadedContent,
} from '../../../../src/framework/infrastructure/content/content-loader.js';
import { computeContentStats } from '../../../../src/framework/infrastructure/content/content-stats.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/content');
const CHALLENGE_FILE = 'challenges/1.1/webSearch.yaml';

async function loadFixture(name: string) {
  return loadContent({ dir: path.join(FIXTURES, name) });
}

async function errorsOf(name: string): Promise<readonly ContentError[]> {
  const result = await loadFixture(name);
  if (result.ok) throw new Error(`fixture ${name} was expected to be refused`);
  return result.errors;
}

async function validFixture(): Promise<LoadedContent> {
  const result = await loadFixture('valid');
  if (!result.ok) throw new Error(result.errors.map(formatContentIssue).join('\n'));
  return result.content;
}

describe('content loader', () => {
  describe('the real bank (content/)', () => {
    it('loads cleanly, with the full framework shape', async () => {
      const result = await loadContent();
      if (!result.ok) expect.fail(result.errors.map(formatContentIssue).join('\n'));
      const { framework, index } = result.content;

      expect(framework.areas.map((area) => area.code)).to.deep.equal(['1', '2', '3', '4', '5']);
      expect(framework.competences.map((competence) => competence.code)).to.deep.equal([
        '1.1',
        '1.2',
        '1.3',
        '2.1',
        '2.2',
        '2.3',
        '2.4',
        '3.1',
        '3.2',
        '3.3',
        '3.4',
        '4.1',
        '4.2',
        '4.3',
        '5.1',
        '5.2',
      ]);
      expect(framework.areas[0]?.color).to.equal('#F24645');
      for (const competence of framework.competences) {
        expect(competence.name.fr, competence.code).to.not.equal('');
        expect(competence.name.en, competence.code).to.not.equal('');
        expect(index.tubesByCompetence.get(competence.code)?.length ?? 0).to.be.at.least(3);
      }
      // Framework rules: ≥ 3 tubes, ≥ 2 skills at each level 1–6, FR and EN tutorials per
      // competence, a tutorial per skill, skills at levels 7 and 8.
      expect(computeCoverageNotes(framework).filter((note) => note.scope === 'framework')).to.deep.equal([]);
      expect(index.skillsByLevel.get(7)?.length ?? 0).to.be.at.least(1);
      expect(index.skillsByLevel.get(8)?.length ?? 0).to.be.at.least(1);
    });

    it('has sample challenges of every type in competence 1.1', async () => {
      const { framework } = await loadContentOrThrow();
      const types = new Set(framework.challenges.map((challenge) => challenge.type));
      expect([...types].sort()).to.deep.equal(['QCM', 'QCU', 'QROC', 'QROCM-dep', 'QROCM-ind']);
    });
  });

  describe('a valid bank', () => {
    it('resolves the framework and fills attachment sizes and media types', async () => {
      const { framework } = await validFixture();
      expect(framework.areas).to.deep.equal([
        {
          code: '1',
          name: { fr: 'Information et données', en: 'Information and data' },
          color: '#F24645',
          competenceCodes: ['1.1'],
        },
      ]);
      expect(
        framework.skills.map((skill) => [skill.id, skill.level, skill.tubeId, skill.competenceCode]),
      ).to.deep.equal([
        ['@webSearch1', 1, 'webSearch', '1.1'],
        ['@webSearch2', 2, 'webSearch', '1.1'],
        ['@webSearch3', 3, 'webSearch', '1.1'],
      ]);
      const qroc = framework.challenges.find((challenge) => challenge.id === 'ch-1.1-webSearch-2-b');
      expect(qroc?.attachments).to.deep.equal([
        { path: 'docs/opening-hours.csv', mediaType: 'text/csv', sizeBytes: 59 },
      ]);
      expect(qroc?.timer).to.equal(120);
      expect(qroc?.focused).to.equal(true);
      expect(qroc?.reviewer).to.equal(undefined);
      expect(qroc?.locales).to.deep.equal(['fr', 'en']);
    });

    it('builds every solution shape, with default and explicit tolerances', async () => {
      const { index } = await validFixture();
      const solution = (id: string) => index.challengesById.get(id)?.solution;
      expect(solution('ch-1.1-webSearch-1-a')).to.deep.equal({ type: 'QCU', answer: 1 });
      expect(solution('ch-1.1-webSearch-2-a')).to.deep.equal({ type: 'QCM', answers: [1, 2, 4] });
      expect(solution('ch-1.1-webSearch-2-b')).to.deep.equal({
        type: 'QROC',
        input: {
          key: 'hour',
          variants: { fr: ['18:00', '18h', '18 h'], en: ['18:00', '18h', '18 h'] },
          numeric: false,
          select: false,
        },
        tolerances: { t1: true, t2: false, t3: false },
      });
      expect(solution('ch-1.1-webSearch-3-a')).to.deep.equal({
        type: 'QROCM-ind',
        inputs: [
          {
            key: 'quote',
            variants: { fr: ['guillemets'], en: ['quotation marks'] },
            numeric: false,
            select: true,
          },
          { key: 'op', variants: { fr: ['site:'], en: ['site:'] }, numeric: false, select: true },
          { key: 'year', variants: { fr: ['2024'], en: ['2024'] }, numeric: true, select: false },
        ],
        tolerances: { t1: true, t2: true, t3: false },
      });
      // QROCM-dep input keys follow the display order of the proposals.
      expect(solution('ch-1.1-webSearch-3-b')).to.deep.equal({
        type: 'QROCM-dep',
        inputKeys: ['second', 'first'],
        groups: [
          { fr: ['Qwant'], en: ['Qwant'] },
          { fr: ['DuckDuckGo', 'Duck Duck Go'], en: ['DuckDuckGo', 'Duck Duck Go'] },
          { fr: ['Ecosia'], en: ['Ecosia'] },
        ],
        tolerances: { t1: true, t2: true, t3: true },
      });
    });

    it('derives IRT parameters from the skill level unless calibrated ones are given', async () => {
      const { index } = await validFixture();
      expect(index.challengesById.get('ch-1.1-webSearch-1-a')?.irt).to.deep.equal({
        discrimination: 1,
        difficulty: -2.5,
        source: 'derived',
      });
      expect(index.challengesById.get('ch-1.1-webSearch-3-a')?.irt).to.deep.equal({
        discrimination: 1.4,
        difficulty: 0.25,
        source: 'calibrated',
      });
    });

    it('reads embeds and illustrations', async () => {
      const { index } = await validFixture();
      expect(index.challengesById.get('ch-1.1-webSearch-3-a')?.embed).to.deep.equal({
        simulatorId: 'search-engine',
        title: { fr: 'Moteur de recherche simulé', en: 'Simulated search engine' },
        height: 480,
        autoReply: false,
      });
      expect(index.challengesById.get('ch-1.1-webSearch-2-a')?.illustration).to.deep.equal({
        path: 'images/results-page.png',
        alt: { fr: 'Une page de résultats de recherche.', en: 'A search results page.' },
      });
    });

    it('returns a deeply frozen framework and immutable indexes', async () => {
      const { framework, index } = await validFixture();
      expect(Object.isFrozen(framework)).to.equal(true);
      expect(Object.isFrozen(framework.challenges)).to.equal(true);
      expect(Object.isFrozen(framework.challenges[0]?.solution)).to.equal(true);
      expect(Object.isFrozen(index)).to.equal(true);
      expect(index.challengesBySkill).to.be.instanceOf(FrozenMap);
      expect('set' in index.challengesBySkill).to.equal(false);
      expect(Object.isFrozen(index.challengesBySkill.get('@webSearch2'))).to.equal(true);
      expect(index.challengesBySkill.get('@webSearch2')?.map((challenge) => challenge.id)).to.deep.equal([
        'ch-1.1-webSearch-2-a',
        'ch-1.1-webSearch-2-b',
      ]);
      expect(
        index.validatedChallengesBySkill.get('@webSearch2')?.map((challenge) => challenge.id),
      ).to.deep.equal(['ch-1.1-webSearch-2-a']);
      expect(index.tutorialsBySkill.get('@webSearch1')?.map((tutorial) => tutorial.locale)).to.deep.equal([
        'fr',
        'en',
      ]);
    });

    it('reports how long the load took', async () => {
      const result = await loadFixture('valid');
      expect(result.durationMs).to.be.a('number').and.greaterThan(0);
      expect(result.fileCount).to.equal(4);
    });

    it('loads a tube whose challenges are split across <tube>.yaml and <tube>.<part>.yaml', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'content-split-test-'));
      try {
        await cp(path.join(FIXTURES, 'valid'), folder, { recursive: true });
        const main = await readFile(path.join(folder, 'challenges/1.1/webSearch.yaml'), 'utf8');
        const [header, ...items] = main.split(/\n(?= {2}- id: )/);
        await writeFile(path.join(folder, 'challenges/1.1/webSearch.yaml'), `${header}\n${items[0]}\n`);
        await writeFile(
          path.join(folder, 'challenges/1.1/webSearch.more.yaml'),
          `challenges:\n${items.slice(1).join('\n')}\n`,
        );
        const split = await loadContent({ dir: folder });
        const whole = await loadFixture('valid');
        expect(split.ok && whole.ok).to.equal(true);
        if (split.ok && whole.ok) {
          const ids = (result: typeof split) =>
            result.ok ? result.content.framework.challenges.map((challenge) => challenge.id).sort() : [];
          expect(ids(split)).to.deep.equal(ids(whole));
          expect(split.fileCount).to.equal(whole.fileCount + 1);
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('refuses a duplicate key in a YAML file, with its line', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'content-duplicate-key-test-'));
      try {
        await cp(path.join(FIXTURES, 'valid'), folder, { recursive: true });
        await writeFile(path.join(folder, 'framework/tutorials.yaml'), 'tutorials: []\ntutorials: []\n');
        const result = await loadContent({ dir: folder });
        expect(result.ok).to.equal(false);
        if (!result.ok) {
          expect(result.errors[0]).to.deep.include({ file: 'framework/tutorials.yaml' });
          expect(result.errors[0]?.message).to.match(
            /^YAML syntax error at line 2, column \d+: duplicated mapping key/,
          );
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('computes statistics over validated challenges', async () => {
      const { framework } = await validFixture();
      const stats = computeContentStats(framework);
      expect(stats.total).to.equal(3);
      expect(stats.byStatus).to.deep.equal({ validated: 3, draft: 1, archived: 1 });
      expect(stats.perCompetence['1.1']).to.deep.include({ total: 3, tubes: 1, skills: 3, skillsCovered: 0 });
      expect(stats.perLevel).to.deep.equal({
        '1': 1,
        '2': 1,
        '3': 1,
        '4': 0,
        '5': 0,
        '6': 0,
        '7': 0,
        '8': 0,
      });
      expect(stats.perType).to.deep.equal({ QCU: 1, QCM: 1, QROC: 0, 'QROCM-ind': 1, 'QROCM-dep': 0 });
      expect(stats).to.deep.include({ attachments: 0, embeds: 1, simulators: 1, timed: 0, illustrated: 1 });
      expect(stats.locales).to.deep.equal({ fr: 3, en: 3 });
      expect(stats.irt).to.deep.equal({ derived: 2, calibrated: 1 });
    });
  });

  describe('a bank with one defect is refused with that exact error', () => {
    const cases: readonly { fixture: string; id: string; path: string; message: string }[] = [
      {
        fixture: 'qcu-solution-out-of-range',
        id: 'ch-1.1-webSearch-1-a',
        path: 'solution.answer',
        message: '5 is out of range: there are 4 options',
      },
      {
        fixture: 'missing-english-instruction',
        id: 'ch-1.1-webSearch-2-b',
        path: 'instruction.en',
        message: 'missing English text',
      },
      {
        fixture: 'missing-attachment',
        id: 'ch-1.1-webSearch-2-b',
        path: 'attachments[0]',
        message: 'file not found: files/docs/opening-hours-2024.csv',
      },
      {
        fixture: 'duplicate-id',
        id: 'ch-1.1-webSearch-2-b',
        path: 'id',
        message: 'duplicate challenge id "ch-1.1-webSearch-2-b" (first defined earlier in the same file)',
      },
      {
        fixture: 'unknown-skill',
        id: 'ch-1.1-webSearch-3-b',
        path: 'skill',
        message: 'unknown skill "@webSearch4"',
      },
      {
        fixture: 'qrocm-keys-mismatch',
        id: 'ch-1.1-webSearch-3-a',
        path: 'solution.inputs',
        message:
          'solution keys must match the input blocks of the proposals: no answer for ${year}; ' +
          '${yaer} is not an input block of the proposals',
      },
    ];

    for (const { fixture, id, path: field, message } of cases) {
      it(fixture, async () => {
        expect(await errorsOf(fixture)).to.deep.equal([{ file: CHALLENGE_FILE, id, path: field, message }]);
      });
    }

    it('loadContentOrThrow throws a ContentValidationError listing the errors', async () => {
      try {
        await loadContentOrThrow({ dir: path.join(FIXTURES, 'unknown-skill') });
        expect.fail('expected a ContentValidationError');
      } catch (error) {
        expect(error).to.be.instanceOf(ContentValidationError);
        const validationError = error as ContentValidationError;
        expect(validationError.code).to.equal('CONTENT_INVALID');
        expect(validationError.errors).to.have.length(1);
        expect(validationError.message).to.contain(
          'challenges/1.1/webSearch.yaml: ch-1.1-webSearch-3-b: skill: unknown skill "@webSearch4"',
        );
      }
    });

    it('reports a broken framework file once, without the references it breaks', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'content-broken-test-'));
      try {
        await cp(path.join(FIXTURES, 'valid'), folder, { recursive: true });
        await writeFile(path.join(folder, 'framework/tutorials.yaml'), 'tutorials:\n  - id: [broken\n');
        const result = await loadContent({ dir: folder });
        expect(result.ok).to.equal(false);
        if (!result.ok) {
          expect(result.errors.map((error) => [error.file, error.message.slice(0, 40)])).to.deep.equal([
            ['framework/tutorials.yaml', 'YAML syntax error at line 3, column 1: d'],
            ['framework/tutorials.yaml', 'references to tutorials are not checked '],
          ]);
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('reports a missing content folder instead of throwing', async () => {
      const result = await loadContent({ dir: path.join(FIXTURES, 'no-such-bank') });
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.errors[0]?.message).to.match(/^content folder not found/);
    });
  });

  describe('npm run content:check', function () {
    this.timeout(30_000);
    const run = promisify(execFile);
    const check = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'tools/content-check.ts', ...args], { cwd: ROOT });

    it('exits 0 with a summary for a valid bank', async () => {
      const { stdout } = await check('--dir', 'test/fixtures/content/valid');
      expect(stdout).to.match(
        /^✓ Content bank test\/fixtures\/content\/valid is valid: 4 files loaded and validated in \d+ ms/,
      );
    });

    it('exits 1 printing each error as file: challenge-id: field: message', async () => {
      try {
        await check('--dir', 'test/fixtures/content/qcu-solution-out-of-range');
        expect.fail('expected exit code 1');
      } catch (error) {
        const failure = error as { code?: number; stdout?: string };
        expect(failure.code).to.equal(1);
        expect(failure.stdout?.trim()).to.equal(
          'test/fixtures/content/qcu-solution-out-of-range/challenges/1.1/webSearch.yaml: ' +
            'ch-1.1-webSearch-1-a: solution.answer: 5 is out of range: there are 4 options',
        );
      }
    });
  });
});
