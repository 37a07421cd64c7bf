import { expect } from 'chai';
import {
  buildPracticeUnits,
  suggestTutorials,
  type PracticeSkill,
  type PracticeTube,
} from '../../../src/teaching/domain/practice-units.js';
import { alice, bob, competences, dan, participant, PRACTICE_TUBES, tubes } from './fixtures.js';

const ALL_TUTORIALS = new Set(
  PRACTICE_TUBES.flatMap((tube) => tube.skills.flatMap((skill) => skill.tutorialIds)),
);

function skills(tubeId: string, tutorialsPerLevel: ReadonlyArray<readonly string[]>): PracticeSkill[] {
  return tutorialsPerLevel.map((tutorialIds, index) => ({
    skillId: `@${tubeId}${index + 1}`,
    level: index + 1,
    tutorialIds,
  }));
}

describe('Unit | Teaching | practice units', () => {
  it('aggregates mastery over the learners who answered, weakest tube first', () => {
    const units = buildPracticeUnits({
      tubes: PRACTICE_TUBES,
      participants: [alice, bob, dan],
      availableTutorials: ALL_TUTORIALS,
    });
    // tubeA (3 + 1) / 8 = 50 %, tubeB (2 + 0) / 8 = 25 %, tubeC (4 + 2) / 10 = 60 %; dan never answered.
    expect(units).to.deep.equal([
      {
        tubeId: 'tubeB',
        competenceCode: '1.2',
        masteryPercent: 25,
        learners: 2,
        tutorialIds: ['tutoB2', 'tutoB3', 'tutoB4'],
      },
      {
        tubeId: 'tubeA',
        competenceCode: '1.1',
        masteryPercent: 50,
        learners: 2,
        tutorialIds: ['tutoA3', 'tutoA4'],
      },
      {
        tubeId: 'tubeC',
        competenceCode: '2.1',
        masteryPercent: 60,
        learners: 2,
        tutorialIds: ['tutoC4', 'tutoC5'],
      },
    ]);
  });

  it('counts a learner only in the tubes of competences they answered in', () => {
    const only11 = participant('u-x', {
      status: 'in-progress',
      competences: competences([8, 1, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']),
      tubes: tubes(1, 4, 5), // 1.2 and 2.1 tubes are not counted: no answer there
    });
    const units = buildPracticeUnits({
      tubes: PRACTICE_TUBES,
      participants: [only11],
      availableTutorials: ALL_TUTORIALS,
    });
    expect(units.map((unit) => [unit.tubeId, unit.masteryPercent, unit.learners])).to.deep.equal([
      ['tubeA', 25, 1],
    ]);
  });

  it('leaves out tubes nobody answered and tubes with nothing targeted', () => {
    expect(
      buildPracticeUnits({ tubes: PRACTICE_TUBES, participants: [dan], availableTutorials: ALL_TUTORIALS }),
    ).to.deep.equal([]);
    const nothingTargeted = participant('u-x', {
      competences: competences([8, 1, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']),
      tubes: [{ tubeId: 'tubeA', validated: 0, targeted: 0 }],
    });
    expect(
      buildPracticeUnits({
        tubes: PRACTICE_TUBES,
        participants: [nothingTargeted],
        availableTutorials: ALL_TUTORIALS,
      }),
    ).to.deep.equal([]);
  });

  it('orders equal mastery by more learners first, then by tube id', () => {
    const answeredAll = competences([8, 1, 'in-progress'], [8, 1, 'in-progress'], [8, 1, 'in-progress']);
    const learners = [
      participant('u-1', { competences: answeredAll, tubes: tubes(2, 2, 0) }),
      participant('u-2', {
        competences: competences([8, 1, 'in-progress'], [8, 1, 'in-progress'], [0, 0, 'not-started']),
        tubes: tubes(2, 2, 5),
      }),
    ];
    // tubeA 4/8 = 50 % (2 learners), tubeB 4/8 = 50 % (2 learners), tubeC 0/5 = 0 % (1 learner).
    const tubeC: PracticeTube = { tubeId: 'tubeC', competenceCode: '2.1', skills: [] };
    const units = buildPracticeUnits({
      tubes: [tubeC, ...PRACTICE_TUBES.slice(0, 2).reverse()],
      participants: learners,
      availableTutorials: ALL_TUTORIALS,
    });
    expect(units.map((unit) => [unit.tubeId, unit.masteryPercent, unit.learners])).to.deep.equal([
      ['tubeC', 0, 1],
      ['tubeA', 50, 2],
      ['tubeB', 50, 2],
    ]);

    const fewer = buildPracticeUnits({
      tubes: PRACTICE_TUBES,
      participants: [
        participant('u-1', { competences: answeredAll, tubes: tubes(2, 0, 0) }),
        participant('u-2', {
          competences: competences([0, 0, 'not-started'], [8, 1, 'in-progress'], [0, 0, 'not-started']),
          tubes: tubes(0, 4, 0),
        }),
      ],
      availableTutorials: ALL_TUTORIALS,
    });
    // tubeA 2/4 = 50 % (1 learner), tubeB 4/8 = 50 % (2 learners): more learners first.
    expect(fewer.map((unit) => unit.tubeId).slice(1)).to.deep.equal(['tubeB', 'tubeA']);
  });

  describe('suggested tutorials', () => {
    const tube = skills('t', [['t1a'], ['t2a', 't2b'], ['t3a', 't2a'], ['t4a'], []]);

    it('takes the skills from the typically mastered position onwards, distinct, at most 3', () => {
      expect(suggestTutorials(tube, 0, allTutorialsOf(tube))).to.deep.equal(['t1a', 't2a', 't2b']);
      expect(suggestTutorials(tube, 1, allTutorialsOf(tube))).to.deep.equal(['t2a', 't2b', 't3a']);
      expect(suggestTutorials(tube, 2, allTutorialsOf(tube))).to.deep.equal(['t3a', 't2a', 't4a']);
      expect(suggestTutorials(tube, 4, allTutorialsOf(tube))).to.deep.equal([]);
      expect(suggestTutorials(tube, 9, allTutorialsOf(tube))).to.deep.equal([]);
    });

    it("keeps only the tutorials of the dashboard's locale (a Set or a Map)", () => {
      expect(suggestTutorials(tube, 1, new Set(['t3a', 't4a']))).to.deep.equal(['t3a', 't4a']);
      expect(suggestTutorials(tube, 0, new Map([['t2b', { title: 'x' }]]))).to.deep.equal(['t2b']);
    });

    it('follows the level order, not the order given', () => {
      expect(suggestTutorials([...tube].reverse(), 3, allTutorialsOf(tube))).to.deep.equal(['t4a']);
    });

    it('starts at the lower median of the validated skills', () => {
      const tubeSkills = skills('tubeA', [['a1'], ['a2'], ['a3'], ['a4']]);
      const answered = competences([8, 1, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']);
      const run = (validated: number[]) =>
        buildPracticeUnits({
          tubes: [{ tubeId: 'tubeA', competenceCode: '1.1', skills: tubeSkills }],
          participants: validated.map((count, index) =>
            participant(`u-${index}`, { competences: answered, tubes: tubes(count, 0, 0) }),
          ),
          availableTutorials: new Set(['a1', 'a2', 'a3', 'a4']),
        })[0]?.tutorialIds;
      expect(run([0, 3, 1])).to.deep.equal(['a2', 'a3', 'a4']); // median 1
      expect(run([1, 2])).to.deep.equal(['a2', 'a3', 'a4']); // median 1.5 → 1
      expect(run([3, 3, 0, 4])).to.deep.equal(['a4']); // median 3
      expect(run([4, 4])).to.deep.equal([]); // the class masters the whole tube
    });
  });
});

function allTutorialsOf(tubeSkills: readonly PracticeSkill[]): Set<string> {
  return new Set(tubeSkills.flatMap((skill) => skill.tutorialIds));
}
