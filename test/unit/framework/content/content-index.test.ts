import { expect } from 'chai';
import { buildContentIndex, deepFreeze, FrozenMap } from '../../../../src/framework/domain/content-index.js';
import type { Challenge, Framework, Skill } from '../../../../src/framework/domain/models.js';

const text = (value: string) => ({ fr: value, en: value });

function skill(
  id: string,
  tubeId: string,
  competenceCode: string,
  level: number,
  tutorialIds: string[] = [],
): Skill {
  return { id, tubeId, competenceCode, level, tutorialIds };
}

function challenge(id: string, skillId: string, overrides: Partial<Challenge> = {}): Challenge {
  return {
    id,
    skillId,
    type: 'QCU',
    status: 'validated',
    locales: ['fr', 'en'],
    instruction: text('?'),
    proposals: text('- a\n- b'),
    solution: { type: 'QCU', answer: 1 },
    attachments: [],
    focused: false,
    accessibility: { blind: true, colorBlind: true },
    irt: { discrimination: 1, difficulty: 0, source: 'derived' },
    author: 'A',
    reviewer: 'B',
    ...overrides,
  };
}

const framework: Framework = {
  areas: [
    { code: '1', name: text('Info'), color: '#F24645', competenceCodes: ['1.1', '1.2'] },
    { code: '2', name: text('Com'), color: '#0B7F57', competenceCodes: ['2.1'] },
  ],
  competences: [
    { code: '1.1', areaCode: '1', name: text('Search'), description: text('') },
    { code: '1.2', areaCode: '1', name: text('Data'), description: text('') },
    { code: '2.1', areaCode: '2', name: text('Interact'), description: text('') },
  ],
  thematics: [
    { id: '1.1-web', competenceCode: '1.1', name: text('Web') },
    { id: '1.2-files', competenceCode: '1.2', name: text('Files') },
  ],
  tubes: [
    {
      id: 'web',
      competenceCode: '1.1',
      thematicId: '1.1-web',
      practicalTitle: text(''),
      practicalDescription: text(''),
    },
    {
      id: 'query',
      competenceCode: '1.1',
      thematicId: '1.1-web',
      practicalTitle: text(''),
      practicalDescription: text(''),
    },
    {
      id: 'files',
      competenceCode: '1.2',
      thematicId: '1.2-files',
      practicalTitle: text(''),
      practicalDescription: text(''),
    },
  ],
  skills: [
    skill('@query4', 'query', '1.1', 4, ['tut-en']),
    skill('@web3', 'web', '1.1', 3),
    skill('@web1', 'web', '1.1', 1, ['tut-fr', 'tut-en']),
    skill('@files1', 'files', '1.2', 1),
  ],
  tutorials: [
    {
      id: 'tut-fr',
      title: 'T',
      url: 'https://a.fr',
      source: 'S',
      format: 'article',
      duration: 'PT5M',
      locale: 'fr',
    },
    {
      id: 'tut-en',
      title: 'T',
      url: 'https://a.org',
      source: 'S',
      format: 'video',
      duration: 'PT5M',
      locale: 'en',
    },
  ],
  challenges: [
    challenge('ch-web1-a', '@web1'),
    challenge('ch-web1-b', '@web1', { status: 'draft', reviewer: undefined }),
    challenge('ch-query4-a', '@query4', { locales: ['fr'] }),
    challenge('ch-files1-a', '@files1', { status: 'archived' }),
  ],
};

const ids = (items: readonly { id: string }[] | undefined) => (items ?? []).map((item) => item.id);

describe('content index', () => {
  const index = buildContentIndex(deepFreeze(structuredClone(framework)));

  it('indexes areas, competences, thematics and tubes', () => {
    expect(index.areasByCode.get('2')?.color).to.equal('#0B7F57');
    expect(index.competencesByArea.get('1')?.map((competence) => competence.code)).to.deep.equal([
      '1.1',
      '1.2',
    ]);
    expect(index.competencesByCode.get('1.2')?.name.en).to.equal('Data');
    expect(ids(index.thematicsByCompetence.get('1.1'))).to.deep.equal(['1.1-web']);
    expect(ids(index.tubesByCompetence.get('1.1'))).to.deep.equal(['web', 'query']);
    expect(ids(index.tubesByThematic.get('1.1-web'))).to.deep.equal(['web', 'query']);
    expect(index.tubesById.get('files')?.competenceCode).to.equal('1.2');
  });

  it('orders skills by tube (framework order) then level', () => {
    expect(ids(index.skillsByTube.get('web'))).to.deep.equal(['@web1', '@web3']);
    expect(ids(index.skillsByCompetence.get('1.1'))).to.deep.equal(['@web1', '@web3', '@query4']);
    expect(ids(index.skillsByLevel.get(1))).to.deep.equal(['@web1', '@files1']);
    expect(index.skillsById.get('@query4')?.level).to.equal(4);
  });

  it('has an empty list, never undefined, for every known key without items', () => {
    expect(index.skillsByCompetence.get('2.1')).to.deep.equal([]);
    expect(index.tubesByCompetence.get('2.1')).to.deep.equal([]);
    expect(index.challengesBySkill.get('@web3')).to.deep.equal([]);
    expect(index.skillsByLevel.get(8)).to.deep.equal([]);
    expect([...index.skillsByLevel.keys()]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(index.challengesByStatus.get('archived')?.length).to.equal(1);
  });

  it('resolves tutorials per skill and per locale', () => {
    expect(ids(index.tutorialsBySkill.get('@web1'))).to.deep.equal(['tut-fr', 'tut-en']);
    expect(ids(index.tutorialsBySkill.get('@web3'))).to.deep.equal([]);
    expect(ids(index.tutorialsByLocale.get('en'))).to.deep.equal(['tut-en']);
  });

  it('groups challenges by skill, tube, competence, level, locale and status', () => {
    expect(ids(index.challengesBySkill.get('@web1'))).to.deep.equal(['ch-web1-a', 'ch-web1-b']);
    expect(ids(index.validatedChallengesBySkill.get('@web1'))).to.deep.equal(['ch-web1-a']);
    expect(ids(index.challengesByTube.get('web'))).to.deep.equal(['ch-web1-a', 'ch-web1-b']);
    expect(ids(index.challengesByCompetence.get('1.1'))).to.deep.equal([
      'ch-web1-a',
      'ch-web1-b',
      'ch-query4-a',
    ]);
    expect(ids(index.challengesByLevel.get(1))).to.deep.equal(['ch-web1-a', 'ch-web1-b', 'ch-files1-a']);
    expect(ids(index.challengesByLocale.get('en'))).to.deep.equal(['ch-web1-a', 'ch-web1-b', 'ch-files1-a']);
    expect(ids(index.challengesByStatus.get('draft'))).to.deep.equal(['ch-web1-b']);
    expect(index.challengesById.get('ch-query4-a')?.locales).to.deep.equal(['fr']);
  });

  it('cannot be changed', () => {
    expect(Object.isFrozen(index)).to.equal(true);
    expect(() => {
      (index as { skillsById: unknown }).skillsById = new Map();
    }).to.throw(TypeError);
    const list = index.challengesBySkill.get('@web1') as Challenge[];
    expect(() => list.push(challenge('x', '@web1'))).to.throw(TypeError);
    expect((index.skillsById as unknown as Record<string, unknown>)['set']).to.equal(undefined);
  });

  it('FrozenMap behaves as a read-only map', () => {
    const map = new FrozenMap([
      ['a', 1],
      ['b', 2],
    ]);
    expect(map.size).to.equal(2);
    expect(map.get('b')).to.equal(2);
    expect(map.has('c')).to.equal(false);
    expect([...map]).to.deep.equal([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...map.values()]).to.deep.equal([1, 2]);
    const seen: string[] = [];
    map.forEach((value, key, owner) => {
      expect(owner).to.equal(map);
      seen.push(`${key}=${value}`);
    });
    expect(seen).to.deep.equal(['a=1', 'b=2']);
    expect(Object.isFrozen(map)).to.equal(true);
  });

  it('deepFreeze freezes nested objects and arrays', () => {
    const value = deepFreeze({ list: [{ inner: { x: 1 } }] });
    expect(Object.isFrozen(value.list[0]?.inner)).to.equal(true);
  });
});
