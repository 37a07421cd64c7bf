import { expect } from 'chai';
import { buildDashboard, createRowComparator } from '../../../src/teaching/domain/dashboard.js';
import type { DashboardQuery, StudentRow } from '../../../src/teaching/domain/dashboard-model.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import {
  alice,
  bob,
  competences,
  dashboardInput,
  DEFAULT_QUERY,
  member,
  participant,
  tubes,
} from './fixtures.js';

function rowOf(rows: readonly StudentRow[], userId: string): StudentRow {
  const row = rows.find((candidate) => candidate.userId === userId);
  if (!row) throw new Error(`no row for ${userId}`);
  return row;
}

function query(overrides: Partial<DashboardQuery>): DashboardQuery {
  return { ...DEFAULT_QUERY, ...overrides };
}

describe('Unit | Teaching | dashboard', () => {
  describe('merging the roster with the participants', () => {
    const { rows, roster: rosterState } = buildDashboard(dashboardInput());

    it('lists roster learners and launchers once each, dropping Deleted members', () => {
      expect(rows.map((row) => row.userId).sort()).to.deep.equal(['u-alice', 'u-bob', 'u-chloe', 'u-dan']);
      expect(rosterState.kind).to.equal('merged');
    });

    it('lists a roster learner who never launched: not started, no cells, no mastery', () => {
      const chloe = rowOf(rows, 'u-chloe');
      expect(chloe).to.include({ inRoster: true, launched: false, status: 'not-started', pix: 0 });
      expect(chloe.name).to.equal('Chloé Bernard');
      expect(chloe.cells).to.deep.equal([undefined, undefined, undefined]);
      expect(chloe.masteryPercent).to.equal(undefined);
      expect(chloe.participant).to.equal(undefined);
      expect(chloe.gradeSync).to.deep.equal({ userId: 'u-chloe', state: 'none' });
    });

    it('lists a launcher the roster does not list', () => {
      const row = rowOf(rows, 'u-bob');
      expect(row).to.include({ inRoster: false, launched: true, status: 'in-progress', pix: 17 });
      expect(row.rosterStatus).to.equal(undefined);
      expect(row.name).to.equal('Bob Durand');
      expect(row.participant).to.equal(bob);
    });

    it('merges a roster learner who launched, with cells in the scope order and the mastery', () => {
      const row = rowOf(rows, 'u-alice');
      expect(row).to.include({
        inRoster: true,
        launched: true,
        status: 'completed',
        pix: 50,
        answerCount: 40,
      });
      expect(row.rosterStatus).to.equal('Active');
      expect(row.cells).to.deep.equal([
        { code: '1.1', pix: 17, level: 2, status: 'completed' },
        { code: '1.2', pix: 8, level: 1, status: 'completed' },
        { code: '2.1', pix: 25, level: 3, status: 'completed' },
      ]);
      expect(row.masteryPercent).to.equal(69); // 9 / 13
      expect(row.externalId).to.equal('STU-001');
      expect(row.startedAt).to.equal(alice.startedAt);
    });

    it("takes the roster's name (given + family) and email before the launch's", () => {
      const row = rowOf(rows, 'u-alice');
      expect(row).to.include({
        name: 'Alice Martin',
        givenName: 'Alice',
        familyName: 'Martin',
        email: 'alice@lms.example',
      });
    });

    it("falls back to the launch's name and email when the roster has none", () => {
      const row = rowOf(rows, 'u-dan');
      expect(row.name).to.equal('Dan Petit');
      expect(row.inRoster).to.equal(true);
      const withEmail = buildDashboard(
        dashboardInput({
          participants: [participant('u-x', { givenName: 'Xavier', familyName: 'Roy', email: 'x@launch' })],
          roster: [member('u-x', { name: '  ' })],
        }),
      ).rows[0];
      expect(withEmail).to.include({
        name: 'Xavier Roy',
        givenName: 'Xavier',
        familyName: 'Roy',
        email: 'x@launch',
      });
    });

    it("prefers the roster's full name and keeps given and family names from the same source", () => {
      const row = buildDashboard(
        dashboardInput({
          participants: [participant('u-x', { name: 'X Launch', givenName: 'Xl', familyName: 'Launch' })],
          roster: [member('u-x', { name: 'Xavier Roster' })],
        }),
      ).rows[0];
      expect(row?.name).to.equal('Xavier Roster');
      expect(row?.givenName).to.equal(undefined);
      expect(row?.familyName).to.equal(undefined);
    });

    it('keeps an Inactive member, flagged, and lists a Deleted member who has results as a launcher', () => {
      const { rows: merged } = buildDashboard(
        dashboardInput({
          participants: [participant('u-gone', { name: 'Gone' })],
          roster: [
            member('u-idle', { name: 'Idle', status: 'Inactive' }),
            member('u-gone', { status: 'Deleted' }),
          ],
        }),
      );
      expect(rowOf(merged, 'u-idle')).to.include({
        inRoster: true,
        rosterStatus: 'Inactive',
        launched: false,
      });
      expect(rowOf(merged, 'u-gone')).to.include({ inRoster: false, launched: true, name: 'Gone' });
    });

    it('lists only the launchers when the roster is unavailable, and passes the roster state on', () => {
      const dashboard = buildDashboard(
        dashboardInput({ roster: undefined, rosterState: { kind: 'unavailable', reason: 'not-offered' } }),
      );
      expect(dashboard.rows.map((row) => row.userId).sort()).to.deep.equal(['u-alice', 'u-bob', 'u-dan']);
      expect(dashboard.rows.every((row) => !row.inRoster)).to.equal(true);
      expect(dashboard.roster).to.deep.equal({ kind: 'unavailable', reason: 'not-offered' });
    });

    it('keeps the greater version when a participant appears twice', () => {
      const older = participant('u-alice', { version: 3, pix: 1 });
      const newer = participant('u-alice', { version: 7, pix: 2 });
      for (const order of [
        [older, newer],
        [newer, older],
      ]) {
        const { rows: merged } = buildDashboard(dashboardInput({ participants: order, roster: [] }));
        expect(merged).to.have.length(1);
        expect(merged[0]?.pix).to.equal(2);
      }
    });

    it('attaches the latest grade sync of each user', () => {
      const { rows: merged } = buildDashboard(
        dashboardInput({
          gradeSyncs: [
            { userId: 'u-bob', state: 'failed', entryId: 'e1', lastError: 'HTTP 500', at: new Date(2000) },
            { userId: 'u-bob', state: 'delivered', at: new Date(3000) },
            { userId: 'u-alice', state: 'pending', at: new Date(5000) },
            { userId: 'u-alice', state: 'failed', at: new Date(4000) },
          ],
        }),
      );
      expect(rowOf(merged, 'u-bob').gradeSync.state).to.equal('delivered');
      expect(rowOf(merged, 'u-alice').gradeSync.state).to.equal('pending');
      expect(rowOf(merged, 'u-dan').gradeSync.state).to.equal('none');
    });

    it("matches cells to the scope by code, whatever the snapshot's order", () => {
      const shuffled = participant('u-x', {
        competences: [
          ...competences([1, 0, 'in-progress'], [9, 1, 'in-progress'], [17, 2, 'completed']),
        ].reverse(),
      });
      const row = buildDashboard(dashboardInput({ participants: [shuffled], roster: [] })).rows[0];
      expect(row?.cells.map((cell) => [cell?.code, cell?.pix])).to.deep.equal([
        ['1.1', 1],
        ['1.2', 9],
        ['2.1', 17],
      ]);
    });

    it('gives 0 % mastery when nothing is targeted, and no cell for a competence the snapshot lacks', () => {
      const row = buildDashboard(
        dashboardInput({
          participants: [
            participant('u-x', {
              tubes: [],
              competences: [{ code: '1.1', pix: 5, level: 0, status: 'in-progress' }],
            }),
          ],
          roster: [],
        }),
      ).rows[0];
      expect(row?.masteryPercent).to.equal(0);
      expect(row?.cells).to.deep.equal([
        { code: '1.1', pix: 5, level: 0, status: 'in-progress' },
        undefined,
        undefined,
      ]);
    });
  });

  describe('summary and statistics (over every row, before filtering)', () => {
    const dashboard = buildDashboard(dashboardInput({ query: query({ statuses: ['completed'] }) }));

    it('counts the learners by status and averages pix over those who launched', () => {
      expect(dashboard.rows.map((row) => row.userId)).to.deep.equal(['u-alice']);
      // (50 + 17 + 0) / 3 launched = 22.33…
      expect(dashboard.summary).to.deep.equal({
        listed: 4,
        notStarted: 2,
        inProgress: 1,
        completed: 1,
        meanPix: 22.3,
      });
    });

    it('gives per competence the evaluated learners, the mean pix and level and the level counts', () => {
      expect(dashboard.competenceCodes).to.deep.equal(['1.1', '1.2', '2.1']);
      expect(dashboard.competences).to.deep.equal([
        {
          code: '1.1',
          areaCode: '1',
          evaluated: 2,
          meanPix: 10.5,
          meanLevel: 1,
          levelCounts: [1, 0, 1, 0, 0, 0],
        },
        {
          code: '1.2',
          areaCode: '1',
          evaluated: 2,
          meanPix: 5.5,
          meanLevel: 0.5,
          levelCounts: [1, 1, 0, 0, 0, 0],
        },
        {
          code: '2.1',
          areaCode: '2',
          evaluated: 2,
          meanPix: 17.5,
          meanLevel: 2,
          levelCounts: [0, 1, 0, 1, 0, 0],
        },
      ]);
    });

    it('gives per area the learners evaluated, their mean area pix, and the level over (learner, competence) pairs', () => {
      // Area 1: alice 17 + 8 = 25 pix, bob 4 + 3 = 7 → 16; levels 2, 1, 0, 0 → 0.75 → 0.8.
      expect(dashboard.areas).to.deep.equal([
        { code: '1', evaluated: 2, meanPix: 16, meanLevel: 0.8, levelCounts: [2, 1, 1, 0, 0, 0] },
        { code: '2', evaluated: 2, meanPix: 17.5, meanLevel: 2, levelCounts: [0, 1, 0, 1, 0, 0] },
      ]);
    });

    it('counts a learner in an area when evaluated in only one of its competences', () => {
      const only12 = participant('u-x', {
        status: 'in-progress',
        competences: competences([0, 0, 'not-started'], [12, 1, 'in-progress'], [0, 0, 'not-started']),
      });
      const { areas, competences: stats } = buildDashboard(
        dashboardInput({ participants: [only12], roster: [] }),
      );
      expect(areas).to.deep.equal([
        { code: '1', evaluated: 1, meanPix: 12, meanLevel: 1, levelCounts: [0, 1, 0, 0, 0, 0] },
        { code: '2', evaluated: 0, meanPix: 0, meanLevel: 0, levelCounts: [0, 0, 0, 0, 0, 0] },
      ]);
      expect(stats.map((stat) => stat.evaluated)).to.deep.equal([0, 1, 0]);
    });

    it('gives zeros for a class where nobody launched', () => {
      const empty = buildDashboard(dashboardInput({ participants: [] }));
      expect(empty.summary).to.deep.equal({
        listed: 3,
        notStarted: 3,
        inProgress: 0,
        completed: 0,
        meanPix: 0,
      });
      expect(empty.practiceUnits).to.deep.equal([]);
    });

    it('delegates the practice units (weakest tube first)', () => {
      expect(
        dashboard.practiceUnits.map((unit) => [unit.tubeId, unit.masteryPercent, unit.learners]),
      ).to.deep.equal([
        ['tubeB', 25, 2],
        ['tubeA', 50, 2],
        ['tubeC', 60, 2],
      ]);
    });
  });

  describe('sorting', () => {
    const named = [
      participant('u-1', { name: 'Zoé Zola', pix: 10, status: 'completed' }),
      participant('u-2', { name: 'eric Blanc', pix: 30, status: 'in-progress' }),
      participant('u-3', { name: 'Émile Adam', pix: 10, status: 'in-progress' }),
      participant('u-4', { pix: 20, status: 'completed' }), // no name
      participant('u-5', { name: 'Adam Roux', pix: 10, status: 'not-started' }),
    ];
    const sorted = (sort: DashboardQuery['sort'], direction: 'asc' | 'desc', participants = named) =>
      buildDashboard(
        dashboardInput({ participants, roster: [], query: query({ sort, direction }) }),
      ).rows.map((row) => row.userId);

    it('sorts by name with the locale, ignoring case and accents, missing names last in both directions', () => {
      expect(sorted('name', 'asc')).to.deep.equal(['u-5', 'u-3', 'u-2', 'u-1', 'u-4']);
      expect(sorted('name', 'desc')).to.deep.equal(['u-1', 'u-2', 'u-3', 'u-5', 'u-4']);
    });

    it('breaks ties between equal names by user id', () => {
      const twins = [
        participant('u-b', { name: 'Léa' }),
        participant('u-a', { name: 'LEA' }),
        participant('u-c', { name: 'lea' }),
      ];
      expect(sorted('name', 'asc', twins)).to.deep.equal(['u-a', 'u-b', 'u-c']);
      expect(sorted('name', 'desc', twins)).to.deep.equal(['u-a', 'u-b', 'u-c']);
    });

    it('sorts by status, ties by name ascending whatever the direction', () => {
      expect(sorted('status', 'asc')).to.deep.equal(['u-5', 'u-3', 'u-2', 'u-1', 'u-4']);
      expect(sorted('status', 'desc')).to.deep.equal(['u-1', 'u-4', 'u-3', 'u-2', 'u-5']);
    });

    it('sorts by pix, ties by name', () => {
      expect(sorted('pix', 'asc')).to.deep.equal(['u-5', 'u-3', 'u-1', 'u-4', 'u-2']);
      expect(sorted('pix', 'desc')).to.deep.equal(['u-2', 'u-4', 'u-5', 'u-3', 'u-1']);
    });

    it('sorts by mastery, never-launched learners last in both directions', () => {
      const learners = [
        participant('u-1', { name: 'A', tubes: tubes(4, 4, 5) }), // 100
        participant('u-2', { name: 'B', tubes: tubes(0, 0, 0) }), // 0
        participant('u-3', { name: 'C', tubes: tubes(2, 2, 0) }), // 31
      ];
      const rows = (direction: 'asc' | 'desc') =>
        buildDashboard(
          dashboardInput({
            participants: learners,
            roster: [member('u-0', { name: 'Aaron' })],
            query: query({ sort: 'mastery', direction }),
          }),
        ).rows.map((row) => row.userId);
      expect(rows('asc')).to.deep.equal(['u-2', 'u-3', 'u-1', 'u-0']);
      expect(rows('desc')).to.deep.equal(['u-1', 'u-3', 'u-2', 'u-0']);
    });

    it('sorts by a competence: level, then pix, then name; learners without a cell last', () => {
      const learners = [
        participant('u-1', {
          name: 'D',
          competences: competences([20, 2, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']),
        }),
        participant('u-2', {
          name: 'C',
          competences: competences([17, 2, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']),
        }),
        participant('u-3', {
          name: 'B',
          competences: competences([30, 3, 'completed'], [0, 0, 'not-started'], [0, 0, 'not-started']),
        }),
        participant('u-4', {
          name: 'A',
          competences: competences([17, 2, 'in-progress'], [0, 0, 'not-started'], [0, 0, 'not-started']),
        }),
      ];
      const rows = (direction: 'asc' | 'desc') =>
        buildDashboard(
          dashboardInput({
            participants: learners,
            roster: [member('u-0', { name: 'Aaron' })],
            query: query({ sort: 'competence:1.1', direction }),
          }),
        ).rows.map((row) => row.userId);
      expect(rows('asc')).to.deep.equal(['u-4', 'u-2', 'u-1', 'u-3', 'u-0']);
      expect(rows('desc')).to.deep.equal(['u-3', 'u-1', 'u-4', 'u-2', 'u-0']);
    });

    it('gives the same order whatever the input order (a total order)', () => {
      const comparator = createRowComparator('pix', 'desc', ['1.1', '1.2', '2.1'], 'fr');
      const rows = buildDashboard(dashboardInput({ participants: named, roster: [] })).rows;
      const expected = [...rows].sort(comparator).map((row) => row.userId);
      for (let shift = 1; shift < rows.length; shift += 1) {
        const rotated = [...rows.slice(shift), ...rows.slice(0, shift)].reverse();
        expect(rotated.sort(comparator).map((row) => row.userId)).to.deep.equal(expected);
      }
    });
  });

  describe('filtering', () => {
    const ids = (overrides: Partial<DashboardQuery>) =>
      buildDashboard(dashboardInput({ query: query(overrides) }))
        .rows.map((row) => row.userId)
        .sort();

    it('keeps every row without filters, and the chosen statuses otherwise', () => {
      expect(ids({})).to.deep.equal(['u-alice', 'u-bob', 'u-chloe', 'u-dan']);
      expect(ids({ statuses: ['not-started'] })).to.deep.equal(['u-chloe', 'u-dan']);
      expect(ids({ statuses: ['in-progress', 'completed'] })).to.deep.equal(['u-alice', 'u-bob']);
    });

    it('searches names, emails and external ids ignoring case and accents', () => {
      expect(ids({ search: 'CHLOE' })).to.deep.equal(['u-chloe']);
      expect(ids({ search: 'bernárd' })).to.deep.equal(['u-chloe']);
      expect(ids({ search: 'lms.example' })).to.deep.equal(['u-alice']);
      expect(ids({ search: 'stu-001' })).to.deep.equal(['u-alice']);
      expect(ids({ search: '  ' })).to.have.length(4);
      expect(ids({ search: 'nobody' })).to.deep.equal([]);
    });

    it('requires every word of the search, in any order', () => {
      expect(ids({ search: 'martin alice' })).to.deep.equal(['u-alice']);
      expect(ids({ search: 'martin bob' })).to.deep.equal([]);
    });

    it('keeps rows at or below a level on a competence, counting a missing level as 0', () => {
      // 2.1 levels: alice 3, bob 1, dan 0 (launched, not started), chloe none (never launched).
      expect(ids({ competence: { code: '2.1', maxLevel: 0 } })).to.deep.equal(['u-chloe', 'u-dan']);
      expect(ids({ competence: { code: '2.1', maxLevel: 1 } })).to.deep.equal(['u-bob', 'u-chloe', 'u-dan']);
      expect(ids({ competence: { code: '2.1', maxLevel: 5 } })).to.have.length(4);
    });

    it('combines the filters', () => {
      expect(
        ids({ statuses: ['not-started'], search: 'petit', competence: { code: '1.1', maxLevel: 0 } }),
      ).to.deep.equal(['u-dan']);
    });

    it('refuses a query it cannot answer with VALIDATION_FAILED', () => {
      const invalid: Array<Partial<DashboardQuery>> = [
        { sort: 'age' as DashboardQuery['sort'] },
        { sort: 'competence:9.9' },
        { direction: 'up' as DashboardQuery['direction'] },
        { statuses: ['done' as 'completed'] },
        { competence: { code: '9.9', maxLevel: 1 } },
        { competence: { code: '1.1', maxLevel: -1 } },
        { competence: { code: '1.1', maxLevel: 1.5 } },
      ];
      for (const overrides of invalid) {
        expect(() => buildDashboard(dashboardInput({ query: query(overrides) })), JSON.stringify(overrides))
          .to.throw(DomainError)
          .with.property('code', 'VALIDATION_FAILED');
      }
    });
  });
});
