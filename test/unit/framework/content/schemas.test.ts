import { expect } from 'chai';
import { JSON_SCHEMA, load } from 'js-yaml';
import { deriveIrtParameters } from '../../../../src/framework/infrastructure/content/defaults.js';
import { mediaTypeOf } from '../../../../src/framework/infrastructure/content/media-types.js';
import {
  textInputSchema,
  challengeSchema,
  competenceFileSchema,
  FILE_PATH_PATTERN,
  ISO_DURATION_PATTERN,
  parseWith,
  qrocSolutionSchema,
  TUBE_ID_PATTERN,
  tutorialEntrySchema,
} from '../../../../src/framework/infrastructure/content/schemas.js';

const minimalChallenge = {
  id: 'ch-1.1-webSearch-1-a',
  skill: '@webSearch1',
  type: 'QCU',
  status: 'draft',
  author: 'Alice',
  instruction: { fr: 'Consigne', en: 'Instruction' },
  proposals: { fr: '- a\n- b', en: '- a\n- b' },
  solution: { answer: 1 },
  accessibility: { blind: true, colorBlind: true },
};

describe('content file schemas', () => {
  it('accepts a minimal challenge and applies defaults', () => {
    const parsed = parseWith(challengeSchema, minimalChallenge);
    expect(parsed.success).to.equal(true);
    if (parsed.success) {
      expect(parsed.data).to.deep.include({ attachments: [], focused: false });
      expect(parsed.data.irt).to.equal(undefined);
    }
  });

  it('words schema errors for authors, with field paths', () => {
    const parsed = parseWith(
      challengeSchema,
      {
        ...minimalChallenge,
        type: 'QCX',
        insturction: 'typo',
        timer: 0,
        accessibility: { blind: 'yes' },
        attachments: ['../secret.txt'],
      },
      'challenges[2]',
    );
    expect(parsed.success).to.equal(false);
    if (!parsed.success) {
      expect(parsed.issues).to.deep.equal([
        { path: 'challenges[2].type', message: 'must be one of: QCU, QCM, QROC, QROCM-ind, QROCM-dep' },
        {
          path: 'challenges[2].attachments[0]',
          message:
            'must be a path under content/files/ made of letters, digits, "-", "_", "." and "/" (no "..")',
        },
        { path: 'challenges[2].timer', message: 'must be a positive whole number of seconds' },
        { path: 'challenges[2].accessibility.blind', message: 'must be true or false' },
        { path: 'challenges[2].accessibility.colorBlind', message: 'is required' },
        { path: 'challenges[2].insturction', message: 'unknown field (check its spelling)' },
      ]);
    }
  });

  it('reads competence codes written as numbers', () => {
    const parsed = parseWith(competenceFileSchema, {
      competence: 1.1,
      thematics: [{ id: '1.1-web', name: { fr: 'Web', en: 'Web' } }],
    });
    expect(parsed.success && parsed.data.competence).to.equal('1.1');
  });

  it('text inputs take either shared answers or both languages', () => {
    const ok = parseWith(qrocSolutionSchema, { inputs: { year: { answers: [2024], numeric: true } } });
    expect(ok.success && ok.data.inputs['year']).to.deep.equal({ answers: ['2024'], numeric: true });
    const single = parseWith(qrocSolutionSchema, { inputs: { town: { fr: 'Paris', en: 'Paris' } } });
    expect(single.success && single.data.inputs['town']?.fr).to.deep.equal(['Paris']);
    const missing = parseWith(qrocSolutionSchema, { inputs: { town: { fr: ['Paris'] } } }, 'solution');
    expect(missing.success ? [] : missing.issues).to.deep.equal([
      {
        path: 'solution.inputs.town.en',
        message: 'is required (or give "answers" for answers shared by every language)',
      },
    ]);
    const two = parseWith(qrocSolutionSchema, { inputs: { a: { answers: ['x'] }, b: { answers: ['y'] } } });
    expect(two.success ? [] : two.issues.map((issue) => issue.message)).to.deep.equal([
      'a QROC has exactly one input',
    ]);
  });

  it('checks tutorial urls and durations', () => {
    const tutorial = {
      id: 'tut-fr-x',
      title: 'X',
      url: 'http://example.org',
      source: 'S',
      format: 'article',
      duration: '10 min',
      locale: 'fr',
    };
    const parsed = parseWith(tutorialEntrySchema, tutorial);
    expect(parsed.success ? [] : parsed.issues.map((issue) => issue.path)).to.deep.equal(['url', 'duration']);
  });

  it('patterns', () => {
    expect(TUBE_ID_PATTERN.test('searchOperators')).to.equal(true);
    expect(TUBE_ID_PATTERN.test('web2')).to.equal(false);
    expect(TUBE_ID_PATTERN.test('Search')).to.equal(false);
    expect(ISO_DURATION_PATTERN.test('PT1H30M')).to.equal(true);
    expect(ISO_DURATION_PATTERN.test('PT')).to.equal(false);
    expect(FILE_PATH_PATTERN.test('docs/budget-2024.xlsx')).to.equal(true);
    expect(FILE_PATH_PATTERN.test('docs/../../etc/passwd')).to.equal(false);
    expect(FILE_PATH_PATTERN.test('/etc/passwd')).to.equal(false);
  });

  it('derives IRT parameters from the level: difficulty = level − 3.5, discrimination = 1', () => {
    expect(deriveIrtParameters(1)).to.deep.equal({ discrimination: 1, difficulty: -2.5, source: 'derived' });
    expect(deriveIrtParameters(8)).to.deep.equal({ discrimination: 1, difficulty: 4.5, source: 'derived' });
  });

  it('knows the media types of attachments', () => {
    expect(mediaTypeOf('docs/Budget.XLSX')).to.equal(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(mediaTypeOf('images/photo.jpeg')).to.equal('image/jpeg');
    expect(mediaTypeOf('archive.rar')).to.equal(undefined);
    expect(mediaTypeOf('README')).to.equal(undefined);
  });
});

describe('accepted answers written as YAML numbers', () => {
  const parse = (yamlText: string) => textInputSchema.safeParse(load(yamlText, { schema: JSON_SCHEMA }));

  it('keeps hexadecimal, octal-looking and yes/no answers as the text the author wrote', () => {
    const result = parse('answers: [0x0000011b, 007, 0o17, yes]');
    expect(result.success).to.equal(true);
    if (result.success) expect(result.data.answers).to.deep.equal(['0x0000011b', '007', '0o17', 'yes']);
  });

  it('turns a whole number back into text', () => {
    const result = parse('answers: 283');
    expect(result.success && result.data.answers).to.deep.equal(['283']);
  });

  it('accepts an unquoted decimal in a numeric input, and refuses it in a text input', () => {
    expect(parse('{ answers: [12.5], numeric: true }').success).to.equal(true);
    const text = parse('answers: [1.10]');
    expect(text.success).to.equal(false);
    if (!text.success)
      expect(text.error.issues[0]?.message).to.match(/^write this accepted answer between quotes/);
  });
});
