/**
 * A small hand-computed class for the teaching domain's unit tests.
 *
 * Scope: 1.1 and 1.2 (area 1), 2.1 (area 2); levels 0…5; one tube per competence.
 *   alice  roster + launched, completed:   1.1 17 pix L2 · 1.2 8 pix L1 · 2.1 25 pix L3 = 50 pix,
 *          tubes 3/4, 2/4, 4/5 → mastery round(900/13) = 69
 *   bob    launched, not in the roster, in progress: 1.1 4 L0 · 1.2 3 L0 · 2.1 10 L1 = 17 pix,
 *          tubes 1/4, 0/4, 2/5 → mastery round(300/13) = 23
 *   chloe  roster only, never launched
 *   dan    roster + launched, no answer yet (not started): 0 pix, tubes 0/4, 0/4, 0/5 → mastery 0
 *   eve    roster, status Deleted, never launched → dropped
 */
import type {
  ClassParticipant,
  CourseMember,
  ParticipantCompetence,
  ParticipantTube,
  ParticipationStatus,
} from '../../../src/teaching/domain/class-participant.js';
import type { BuildDashboardInput, DashboardCompetence } from '../../../src/teaching/domain/dashboard.js';
import type { DashboardQuery } from '../../../src/teaching/domain/dashboard-model.js';
import type { PracticeTube } from '../../../src/teaching/domain/practice-units.js';

export const ACTIVITY = {
  issuer: 'https://lms.example',
  clientId: 'client-1',
  deploymentId: 'deployment-1',
  contextId: 'course-1',
  resourceLinkId: 'link-1',
} as const;

export const COMPETENCES: readonly DashboardCompetence[] = [
  { code: '1.1', areaCode: '1' },
  { code: '1.2', areaCode: '1' },
  { code: '2.1', areaCode: '2' },
];

export const MAX_LEVEL = 5;

const LAUNCH = new Date('2026-02-02T08:00:00.000Z');

type Triple = readonly [pix: number, level: number, status: ParticipationStatus];

export function competences(c11: Triple, c12: Triple, c21: Triple): ParticipantCompetence[] {
  return [
    { code: '1.1', pix: c11[0], level: c11[1], status: c11[2] },
    { code: '1.2', pix: c12[0], level: c12[1], status: c12[2] },
    { code: '2.1', pix: c21[0], level: c21[1], status: c21[2] },
  ];
}

export function tubes(t11: number, t12: number, t21: number): ParticipantTube[] {
  return [
    { tubeId: 'tubeA', validated: t11, targeted: 4 },
    { tubeId: 'tubeB', validated: t12, targeted: 4 },
    { tubeId: 'tubeC', validated: t21, targeted: 5 },
  ];
}

export function participant(
  userId: string,
  overrides: Partial<Omit<ClassParticipant, 'userId'>> = {},
): ClassParticipant {
  const competenceList =
    overrides.competences ?? competences([0, 0, 'not-started'], [0, 0, 'not-started'], [0, 0, 'not-started']);
  return {
    ...ACTIVITY,
    userId,
    learnerKey: `${ACTIVITY.issuer}#${userId}`,
    firstLaunchAt: LAUNCH,
    lastLaunchAt: LAUNCH,
    status: 'not-started',
    answerCount: 0,
    pix: competenceList.reduce((sum, competence) => sum + competence.pix, 0),
    maxPix: 120,
    competences: competenceList,
    tubes: tubes(0, 0, 0),
    maxLevel: MAX_LEVEL,
    version: 1,
    updatedAt: LAUNCH,
    ...overrides,
  };
}

export function member(userId: string, overrides: Partial<Omit<CourseMember, 'userId'>> = {}): CourseMember {
  return { userId, status: 'Active', ...overrides };
}

export const alice = participant('u-alice', {
  name: 'Alice Martin (launch)',
  email: 'alice@launch.example',
  externalId: 'STU-001',
  status: 'completed',
  answerCount: 40,
  startedAt: new Date('2026-02-02T08:01:00.000Z'),
  completedAt: new Date('2026-02-03T09:30:00.000Z'),
  competences: competences([17, 2, 'completed'], [8, 1, 'completed'], [25, 3, 'completed']),
  tubes: tubes(3, 2, 4),
});

export const bob = participant('u-bob', {
  name: 'Bob Durand',
  givenName: 'Bob',
  familyName: 'Durand',
  email: 'bob@launch.example',
  status: 'in-progress',
  answerCount: 12,
  startedAt: new Date('2026-02-04T10:00:00.000Z'),
  competences: competences([4, 0, 'in-progress'], [3, 0, 'in-progress'], [10, 1, 'in-progress']),
  tubes: tubes(1, 0, 2),
});

export const dan = participant('u-dan', { name: 'Dan Petit' });

export const roster: CourseMember[] = [
  member('u-alice', { givenName: 'Alice', familyName: 'Martin', email: 'alice@lms.example' }),
  member('u-chloe', { name: 'Chloé Bernard', givenName: 'Chloé', familyName: 'Bernard' }),
  member('u-dan'),
  member('u-eve', { name: 'Eve Deleted', status: 'Deleted' }),
];

export const PRACTICE_TUBES: readonly PracticeTube[] = [
  {
    tubeId: 'tubeA',
    competenceCode: '1.1',
    skills: [1, 2, 3, 4].map((level) => ({
      skillId: `@tubeA${level}`,
      level,
      tutorialIds: [`tutoA${level}`],
    })),
  },
  {
    tubeId: 'tubeB',
    competenceCode: '1.2',
    skills: [1, 2, 3, 4].map((level) => ({
      skillId: `@tubeB${level}`,
      level,
      tutorialIds: [`tutoB${level}`],
    })),
  },
  {
    tubeId: 'tubeC',
    competenceCode: '2.1',
    skills: [1, 2, 3, 4, 5].map((level) => ({
      skillId: `@tubeC${level}`,
      level,
      tutorialIds: [`tutoC${level}`],
    })),
  },
];

export const DEFAULT_QUERY: DashboardQuery = { sort: 'name', direction: 'asc', statuses: [], search: '' };

export function dashboardInput(overrides: Partial<BuildDashboardInput> = {}): BuildDashboardInput {
  return {
    participants: [alice, bob, dan],
    roster,
    rosterState: { kind: 'merged', fetchedAt: new Date('2026-02-05T00:00:00.000Z') },
    gradeSyncs: [],
    competences: COMPETENCES,
    maxLevel: MAX_LEVEL,
    query: DEFAULT_QUERY,
    locale: 'fr',
    tubes: PRACTICE_TUBES,
    availableTutorials: new Set(PRACTICE_TUBES.flatMap((tube) => tube.skills.flatMap((s) => s.tutorialIds))),
    ...overrides,
  };
}
