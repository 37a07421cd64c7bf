import { expect } from 'chai';
import {
  computeCoverageNotes,
  formatContentIssue,
  joinPath,
  parseInputBlocks,
  parseProposalOptions,
  validateChallenge,
  validateContent,
  type ContentDraft,
  type Sourced,
} from '../../../../src/framework/domain/content-validation.js';
import type {
  Challenge,
  Framework,
  LocalizedVariants,
  Skill,
  TextInputSolution,
} from '../../../../src/framework/domain/models.js';

const text = (fr: string, en: string = fr) => ({ fr, en });
const variants = (fr: string[], en: string[] = fr): LocalizedVariants => ({ fr, en });
const input = (key: string, overrides: Partial<TextInputSolution> = {}): TextInputSolution => ({
  key,
  variants: variants(['x']),
  numeric: false,
  select: false,
  ...overrides,
});

function qcu(overrides: Partial<Challenge> = {}): Challenge {
  return {
    id: 'ch-1',
    skillId: '@webSearch1',
    type: 'QCU',
    status: 'draft',
    locales: ['fr', 'en'],
    instruction: text('Consigne', 'Instruction'),
    proposals: text('- un\n- deux\n- trois', '- one\n- two\n- three'),
    solution: { type: 'QCU', answer: 2 },
    attachments: [],
    focused: false,
    accessibility: { blind: true, colorBlind: true },
    irt: { discrimination: 1, difficulty: -2.5, source: 'derived' },
    author: 'Alice',
    ...overrides,
  };
}

function qrocmInd(proposalsFr: string, proposalsEn: string, inputs: TextInputSolution[]): Challenge {
  return qcu({
    type: 'QROCM-ind',
    proposals: text(proposalsFr, proposalsEn),
    solution: { type: 'QROCM-ind', inputs, tolerances: { t1: true, t2: true, t3: false } },
  });
}

const paths = (issues: readonly { path: string }[]) => issues.map((issue) => issue.path);

describe('content validation (pure)', () => {
  describe('parseProposalOptions', () => {
    it('reads "- " lines as options, continuation lines joined to the option above', () => {
      expect(parseProposalOptions('- first\n- second\n  still second\n\n-   third  ')).to.deep.equal({
        options: ['first', 'second\nstill second', 'third'],
        problems: [],
      });
    });

    it('reports text before the first option and empty options', () => {
      const parsed = parseProposalOptions('Choose:\n- a\n-\n- c');
      expect(parsed.options).to.deep.equal(['a', '', 'c']);
      expect(parsed.problems).to.deep.equal([
        'text before the first "- " option; every option must start with "- "',
        'option 2 is empty',
      ]);
    });
  });

  describe('parseInputBlocks', () => {
    it('finds text inputs, placeholders, labels and select inputs in order', () => {
      const { blocks, problems } = parseInputBlocks(
        'Year: ${year}, town: ${town#Paris§Town name}, op: ${op#options=site:| inurl: |link:§Operator}',
      );
      expect(problems).to.deep.equal([]);
      expect(blocks).to.deep.equal([
        { key: 'year', kind: 'text', options: [], raw: '${year}' },
        {
          key: 'town',
          kind: 'text',
          options: [],
          raw: '${town#Paris§Town name}',
          label: 'Town name',
          placeholder: 'Paris',
        },
        {
          key: 'op',
          kind: 'select',
          options: ['site:', 'inurl:', 'link:'],
          raw: '${op#options=site:| inurl: |link:§Operator}',
          label: 'Operator',
        },
      ]);
    });

    it('reports unclosed blocks, invalid keys and selects with too few options', () => {
      const { blocks, problems } = parseInputBlocks('${1st} ${ok#options=only} ${open');
      expect(blocks.map((block) => block.key)).to.deep.equal(['ok']);
      expect(problems).to.have.length(3);
      expect(problems[0]).to.contain('invalid key "1st"');
      expect(problems[1]).to.contain('needs at least two non-empty options');
      expect(problems[2]).to.contain('is not closed');
    });
  });

  describe('validateChallenge', () => {
    it('accepts a consistent challenge', () => {
      expect(validateChallenge(qcu())).to.deep.equal([]);
    });

    it('QCU: the answer must be within the proposals of each locale, which must have as many options', () => {
      expect(validateChallenge(qcu({ solution: { type: 'QCU', answer: 4 } }))).to.deep.equal([
        { path: 'solution.answer', message: '4 is out of range: there are 3 options' },
      ]);
      const uneven = qcu({
        proposals: text('- un\n- deux\n- trois', '- one\n- two'),
        solution: { type: 'QCU', answer: 3 },
      });
      expect(validateChallenge(uneven)).to.deep.equal([
        { path: 'proposals.en', message: 'has 2 options but the French proposals have 3' },
        {
          path: 'solution.answer',
          message: '3 is out of range: there are 3 options in French and 2 in English',
        },
      ]);
      expect(paths(validateChallenge(qcu({ solution: { type: 'QCU', answer: 0 } })))).to.deep.equal([
        'solution.answer',
      ]);
    });

    it('QCM: answers non-empty, distinct and in range', () => {
      const qcm = (answers: number[]) => qcu({ type: 'QCM', solution: { type: 'QCM', answers } });
      expect(validateChallenge(qcm([1, 3]))).to.deep.equal([]);
      expect(paths(validateChallenge(qcm([])))).to.deep.equal(['solution.answers']);
      expect(paths(validateChallenge(qcm([1, 1])))).to.deep.equal(['solution.answers']);
      expect(validateChallenge(qcm([2, 5]))).to.deep.equal([
        { path: 'solution.answers[1]', message: '5 is out of range: there are 3 options' },
      ]);
    });

    it('QCU/QCM: proposals must be a list of at least two options', () => {
      expect(validateChallenge(qcu({ proposals: text('Pick one:\n- a\n- b', '- a\n- b') }))).to.deep.equal([
        {
          path: 'proposals.fr',
          message: 'text before the first "- " option; every option must start with "- "',
        },
      ]);
      expect(
        paths(
          validateChallenge(qcu({ proposals: text('- a', '- a'), solution: { type: 'QCU', answer: 1 } })),
        ),
      ).to.deep.equal(['proposals.fr', 'proposals.en']);
    });

    it('requires both languages of the instruction and proposals', () => {
      expect(validateChallenge(qcu({ instruction: text('Consigne', ' ') }))).to.deep.equal([
        { path: 'instruction.en', message: 'missing English text' },
      ]);
      expect(paths(validateChallenge(qcu({ proposals: text('', '- a\n- b\n- c') })))).to.include(
        'proposals.fr',
      );
    });

    it('QROC: exactly one input block, matching the solution key', () => {
      const qroc = (fr: string, en: string, key = 'town') =>
        qcu({
          type: 'QROC',
          proposals: text(fr, en),
          solution: { type: 'QROC', input: input(key), tolerances: { t1: true, t2: true, t3: false } },
        });
      expect(validateChallenge(qroc('Ville : ${town}', 'Town: ${town}'))).to.deep.equal([]);
      expect(validateChallenge(qroc('Ville : ${city}', 'Town: ${city}'))).to.deep.equal([
        {
          path: 'solution.inputs',
          message:
            'solution keys must match the input blocks of the proposals: no answer for ${city}; ${town} is not an input block of the proposals',
        },
      ]);
      expect(paths(validateChallenge(qroc('${town} ${other}', '${town} ${other}')))).to.deep.equal([
        'proposals.fr',
        'proposals.en',
        'solution.inputs',
      ]);
    });

    it('QROCM: the English blocks must match the French ones', () => {
      const challenge = qrocmInd('${a} ${b}', '${a} ${c}', [input('a'), input('b')]);
      expect(validateChallenge(challenge)).to.deep.equal([
        {
          path: 'proposals.en',
          message: 'input blocks differ from the French proposals: missing ${b}; unexpected ${c}',
        },
      ]);
    });

    it('QROCM: repeated blocks and a single block are refused', () => {
      expect(paths(validateChallenge(qrocmInd('${a} ${a}', '${a} ${a}', [input('a')])))).to.deep.equal([
        'proposals.fr',
        'proposals.en',
      ]);
      expect(validateChallenge(qrocmInd('${a}', '${a}', [input('a')]))[0]?.message).to.contain(
        'at least two ${key} input blocks',
      );
    });

    it('numeric inputs: every variant must parse as a number, the same in both languages', () => {
      const numeric = (fr: string[], en: string[] = fr) =>
        qrocmInd('${a} ${n}', '${a} ${n}', [
          input('a'),
          input('n', { numeric: true, variants: variants(fr, en) }),
        ]);
      expect(validateChallenge(numeric(['3,5', '3.5', '1 024']))).to.deep.equal([]);
      expect(validateChallenge(numeric(['three']))).to.deep.equal([
        { path: 'solution.inputs.n', message: '"three" is not a number, but the input is numeric' },
      ]);
      expect(validateChallenge(numeric(['2'], ['3']))).to.deep.equal([
        { path: 'solution.inputs.n', message: 'numeric answers must be the same in French and English' },
      ]);
    });

    it('select inputs: answers among the options of each language, same kind in both languages', () => {
      const select = (answer: string, enBlock = '${s#options=yes|no}') =>
        qrocmInd('${a} ${s#options=oui|non}', `\${a} ${enBlock}`, [
          input('a'),
          input('s', { select: true, variants: variants([answer], ['yes']) }),
        ]);
      expect(validateChallenge(select('oui'))).to.deep.equal([]);
      expect(validateChallenge(select('peut-être'))).to.deep.equal([
        { path: 'solution.inputs.s', message: '"peut-être" is not one of the French options of ${s}' },
      ]);
      expect(validateChallenge(select('oui', '${s}'))[0]).to.deep.equal({
        path: 'proposals.en',
        message: '${s} is a text input in English but a select input in French',
      });
    });

    it('accepted answers must not be empty', () => {
      const challenge = qrocmInd('${a} ${b}', '${a} ${b}', [
        input('a', { variants: variants(['x'], []) }),
        input('b'),
      ]);
      expect(validateChallenge(challenge)).to.deep.equal([
        { path: 'solution.inputs.a', message: 'no accepted answer in English' },
      ]);
    });

    it('QROCM-dep: one group per input at least, no select blocks', () => {
      const dep = (groups: LocalizedVariants[], fr = '${a} ${b}') =>
        qcu({
          type: 'QROCM-dep',
          proposals: text(fr, '${a} ${b}'),
          solution: {
            type: 'QROCM-dep',
            inputKeys: ['a', 'b'],
            groups,
            tolerances: { t1: true, t2: true, t3: false },
          },
        });
      expect(validateChallenge(dep([variants(['x']), variants(['y']), variants(['z'])]))).to.deep.equal([]);
      expect(validateChallenge(dep([variants(['x'])]))).to.deep.equal([
        { path: 'solution.groups', message: '1 answer groups for 2 inputs: each input needs its own group' },
      ]);
      expect(
        paths(validateChallenge(dep([variants(['x']), variants(['y'])], '${a} ${b#options=x|y}'))),
      ).to.include('proposals.fr');
    });

    it('a validated challenge names a reviewer other than its author', () => {
      expect(validateChallenge(qcu({ status: 'validated' }))).to.deep.equal([
        { path: 'reviewer', message: 'a validated challenge must name its reviewer' },
      ]);
      expect(validateChallenge(qcu({ status: 'validated', reviewer: ' alice ' }))).to.deep.equal([
        { path: 'reviewer', message: 'the reviewer must be someone other than the author' },
      ]);
      expect(validateChallenge(qcu({ status: 'validated', reviewer: 'Bruno' }))).to.deep.equal([]);
      expect(validateChallenge(qcu({ status: 'draft' }))).to.deep.equal([]);
    });

    it('the timer is a positive whole number of seconds', () => {
      expect(paths(validateChallenge(qcu({ timer: 0 })))).to.deep.equal(['timer']);
      expect(paths(validateChallenge(qcu({ timer: 1.5 })))).to.deep.equal(['timer']);
      expect(validateChallenge(qcu({ timer: 60 }))).to.deep.equal([]);
    });

    it('an illustration needs an alternative text in both languages', () => {
      const challenge = qcu({ illustration: { path: 'images/a.png', alt: text('Une carte', '') } });
      expect(validateChallenge(challenge)).to.deep.equal([
        { path: 'illustration.alt.en', message: 'an illustration needs an alternative text in English' },
      ]);
    });

    it('checks embeds and IRT parameters', () => {
      const challenge = qcu({
        embed: { simulatorId: 'mail', title: text('Messagerie', ''), height: 0, autoReply: false },
        irt: { discrimination: 0, difficulty: Number.NaN, source: 'calibrated' },
      });
      expect(paths(validateChallenge(challenge))).to.deep.equal([
        'embed.title.en',
        'embed.height',
        'irt.discrimination',
        'irt.difficulty',
      ]);
    });
  });

  describe('validateContent', () => {
    const at = <T>(value: T, file: string, path = ''): Sourced<T> => ({ value, source: { file, path } });
    const FRAMEWORK = 'framework/competence-1.1.yaml';
    const skill = (id: string, level: number, overrides: Partial<Skill> = {}): Skill => ({
      id,
      tubeId: 'webSearch',
      competenceCode: '1.1',
      level,
      tutorialIds: ['tut-fr'],
      ...overrides,
    });

    function draft(overrides: Partial<ContentDraft> = {}): ContentDraft {
      return {
        areas: [
          at(
            { code: '1', name: text('Info'), color: '#F24645', competenceCodes: ['1.1'] },
            'framework/areas.yaml',
            'areas[0]',
          ),
        ],
        competences: [
          at(
            { code: '1.1', areaCode: '1', name: text('C'), description: text('D') },
            'framework/areas.yaml',
            'areas[0].competences[0]',
          ),
        ],
        thematics: [
          at({ id: '1.1-search', competenceCode: '1.1', name: text('T') }, FRAMEWORK, 'thematics[0]'),
        ],
        tubes: [
          at(
            {
              id: 'webSearch',
              competenceCode: '1.1',
              thematicId: '1.1-search',
              practicalTitle: text('T'),
              practicalDescription: text('D'),
            },
            FRAMEWORK,
            'tubes[0]',
          ),
        ],
        skills: [at(skill('@webSearch1', 1), FRAMEWORK, 'tubes[0].skills[0]')],
        tutorials: [
          at(
            {
              id: 'tut-fr',
              title: 'T',
              url: 'https://example.org',
              source: 'S',
              format: 'article',
              duration: 'PT5M',
              locale: 'fr',
            },
            'framework/tutorials.yaml',
            'tutorials[0]',
          ),
        ],
        challenges: [
          {
            ...at(qcu({ skillId: '@webSearch1' }), 'challenges/1.1/webSearch.yaml'),
            fileTubeId: 'webSearch',
          },
        ],
        ...overrides,
      };
    }

    it('accepts a consistent bank', () => {
      expect(validateContent(draft())).to.deep.equal([]);
    });

    it('reports duplicate ids with the place of the first definition', () => {
      const base = draft();
      const issues = validateContent(
        draft({
          skills: [...base.skills, at(skill('@webSearch1', 1), FRAMEWORK, 'tubes[1].skills[0]')],
          challenges: [...base.challenges, { ...at(qcu(), 'challenges/1.1/other.yaml') }],
        }),
      );
      expect(issues).to.deep.equal([
        {
          file: 'challenges/1.1/other.yaml',
          id: 'ch-1',
          path: 'id',
          message: 'duplicate challenge id "ch-1" (first defined in challenges/1.1/webSearch.yaml)',
        },
        {
          file: FRAMEWORK,
          id: '@webSearch1',
          path: 'tubes[1].skills[0].id',
          message:
            'duplicate skill id "@webSearch1" (first defined earlier in the same file, at tubes[0].skills[0])',
        },
      ]);
    });

    it('checks skill names, levels, tubes and tutorials', () => {
      const issues = validateContent(
        draft({
          skills: [
            at(skill('@webSearch1', 1), FRAMEWORK, 'tubes[0].skills[0]'),
            at(skill('@webSerch2', 2), FRAMEWORK, 'tubes[0].skills[1]'),
            at(skill('@webSearch9', 9), FRAMEWORK, 'tubes[0].skills[2]'),
            at(
              skill('@other1', 1, { tubeId: 'other', tutorialIds: ['tut-xx'] }),
              FRAMEWORK,
              'tubes[1].skills[0]',
            ),
          ],
        }),
      );
      expect(issues.map(formatContentIssue)).to.deep.equal([
        `${FRAMEWORK}: @other1: tubes[1].skills[0]: unknown tube "other"`,
        `${FRAMEWORK}: @other1: tubes[1].skills[0].tutorials[0]: unknown tutorial "tut-xx"`,
        `${FRAMEWORK}: @webSearch9: tubes[0].skills[2].level: must be a whole number from 1 to 8`,
        `${FRAMEWORK}: @webSerch2: tubes[0].skills[1].id: must be "@webSearch2" ("@" + tube id + level)`,
      ]);
    });

    it('checks that a tube uses a thematic of its own competence', () => {
      const base = draft();
      const issues = validateContent(
        draft({
          thematics: [
            ...base.thematics,
            at({ id: '1.2-files', competenceCode: '1.2', name: text('F') }, FRAMEWORK, 'thematics[1]'),
          ],
          competences: [
            ...base.competences,
            at(
              { code: '1.2', areaCode: '1', name: text('C'), description: text('D') },
              'framework/areas.yaml',
              'x',
            ),
          ],
          tubes: base.tubes.map((tube) => ({ ...tube, value: { ...tube.value, thematicId: '1.2-files' } })),
        }),
      );
      expect(issues).to.deep.equal([
        {
          file: FRAMEWORK,
          id: 'webSearch',
          path: 'tubes[0].thematic',
          message: 'thematic "1.2-files" belongs to competence 1.2, not 1.1',
        },
      ]);
    });

    it('refuses unknown skills and challenges filed under another tube', () => {
      const unknown = validateContent(
        draft({ challenges: [at(qcu({ skillId: '@webSearch7' }), 'challenges/1.1/webSearch.yaml')] }),
      );
      expect(unknown.map(formatContentIssue)).to.deep.equal([
        'challenges/1.1/webSearch.yaml: ch-1: skill: unknown skill "@webSearch7"',
      ]);
      const misplaced = validateContent(
        draft({ challenges: [{ ...at(qcu(), 'challenges/1.1/other.yaml'), fileTubeId: 'other' }] }),
      );
      expect(misplaced[0]?.message).to.equal(
        'skill "@webSearch1" belongs to tube "webSearch": move the challenge to that tube\'s file',
      );
    });

    it('prefixes challenge issues with the challenge id and sorts all issues', () => {
      const issues = validateContent(
        draft({
          challenges: [
            at(qcu({ id: 'ch-b', timer: -1 }), 'challenges/1.1/webSearch.yaml'),
            at(qcu({ id: 'ch-a', solution: { type: 'QCU', answer: 9 } }), 'challenges/1.1/webSearch.yaml'),
          ],
        }),
      );
      expect(issues.map((issue) => [issue.id, issue.path])).to.deep.equal([
        ['ch-a', 'solution.answer'],
        ['ch-b', 'timer'],
      ]);
    });
  });

  describe('computeCoverageNotes', () => {
    it('lists what the framework and the bank still lack', () => {
      const framework: Framework = {
        areas: [],
        competences: [{ code: '1.1', areaCode: '1', name: text('C'), description: text('D') }],
        thematics: [],
        tubes: [
          {
            id: 'web',
            competenceCode: '1.1',
            thematicId: 't',
            practicalTitle: text('T'),
            practicalDescription: text('D'),
          },
        ],
        skills: [{ id: '@web1', tubeId: 'web', competenceCode: '1.1', level: 1, tutorialIds: [] }],
        tutorials: [],
        challenges: [],
      };
      const notes = computeCoverageNotes(framework);
      const framed = notes
        .filter((note) => note.scope === 'framework')
        .map((note) => `${note.id}: ${note.message}`);
      expect(framed).to.deep.equal([
        '1.1: has 1 tubes; at least 3 are expected',
        '1.1: has 1 skills at level 1; at least 2 are expected',
        '1.1: has 0 skills at level 2; at least 2 are expected',
        '1.1: has 0 skills at level 3; at least 2 are expected',
        '1.1: has 0 skills at level 4; at least 2 are expected',
        '1.1: has 0 skills at level 5; at least 2 are expected',
        '1.1: has 0 skills at level 6; at least 2 are expected',
        '1.1: has no French tutorial attached to its skills',
        '1.1: has no English tutorial attached to its skills',
        '@web1: has no tutorial',
        ': no skill at level 7',
        ': no skill at level 8',
      ]);
      expect(notes.filter((note) => note.scope === 'bank').map((note) => note.id)).to.deep.equal([
        '1.1',
        '@web1',
        '',
      ]);
    });
  });

  it('joinPath builds field paths', () => {
    expect(joinPath('tubes', 0, 'skills', 2, 'id')).to.equal('tubes[0].skills[2].id');
    expect(joinPath('', 'solution', '', 'answer')).to.equal('solution.answer');
    expect(joinPath('challenges', 3)).to.equal('challenges[3]');
  });
});
