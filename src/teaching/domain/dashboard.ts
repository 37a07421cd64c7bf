/**
 * Builds an activity's course dashboard from plain data: the activity's participants (snapshots),
 * the LMS roster (NRPS, learners only), the latest grade sync per user and the activity's scope.
 * Pure: the locale (collation) comes in as a parameter, nothing reads a clock.
 *
 * Merge (on the LTI user id):
 * - every roster learner is a row, launched or not (a never-launched one is 'not-started', has no
 *   cells and no mastery); members with status 'Deleted' are dropped from the roster, 'Inactive'
 *   ones are kept (they are still in the course) and flagged through `rosterStatus`;
 * - every participant is a row, even one the roster does not list (`inRoster: false`), including a
 *   learner whose membership is 'Deleted' but who has results in the activity;
 * - identity: the roster's name (its `name`, else given + family name) comes first, else the
 *   participant's; given and family names come from the same source as the name; the email is the
 *   roster's, else the participant's; the external id is the participant's (the roster has none).
 *
 * Sorting (a total, stable order):
 * - 'name' collates with Intl.Collator(locale, { sensitivity: 'base' }); 'status' orders
 *   not-started < in-progress < completed; 'pix' and 'mastery' are numeric; 'competence:<code>' is
 *   the level on that competence, then its pix;
 * - a row with no value for the key (no name; never launched for 'mastery'; no cell for the
 *   competence) comes last in either direction;
 * - the direction reverses the key only; ties are broken by name (ascending, missing last), then by
 *   user id, so equal rows keep a fixed order whatever the direction.
 *
 * Filtering: `statuses` (all when empty); `search` splits on whitespace and keeps the rows where every
 * word is found, ignoring case and accents, in the name, given name, family name, email or external
 * id; `competence` keeps rows whose level there is at most `maxLevel` (no cell counts as level 0).
 *
 * The summary and the statistics are computed over every row, before filtering.
 */
import { DomainError } from '../../shared/domain/errors.js';
import type { ClassParticipant, CourseMember, GradeSync, ParticipationStatus } from './class-participant.js';
import type {
  AreaStats,
  CompetenceStats,
  Dashboard,
  DashboardQuery,
  DashboardSummary,
  RosterState,
  SortDirection,
  SortKey,
  StudentRow,
} from './dashboard-model.js';
import { buildPracticeUnits, type PracticeTube, type TutorialAvailability } from './practice-units.js';

/** A competence of the activity's scope, in framework order, with its area. */
export interface DashboardCompetence {
  readonly code: string;
  readonly areaCode: string;
}

export interface BuildDashboardInput {
  /** The activity's participants (one per user; if a user appears twice, the greater version wins). */
  readonly participants: readonly ClassParticipant[];
  /** The course's learner members from NRPS, or undefined when the roster is unavailable. */
  readonly roster: readonly CourseMember[] | undefined;
  readonly rosterState: RosterState;
  /** The latest grade sync per user (if a user appears twice, the later `at` wins). */
  readonly gradeSyncs: readonly GradeSync[];
  /** The activity's competences in framework order. */
  readonly competences: readonly DashboardCompetence[];
  /** Levels run from 0 to maxLevel (the activity's cap). */
  readonly maxLevel: number;
  readonly query: DashboardQuery;
  /** BCP 47 tag for collation ('fr', 'en'). */
  readonly locale: string;
  /** The tubes of the scope with their active skills, for the practice units. */
  readonly tubes: readonly PracticeTube[];
  /** Tutorials available in the dashboard's locale. */
  readonly availableTutorials: TutorialAvailability;
}

export const STATUSES: readonly ParticipationStatus[] = ['not-started', 'in-progress', 'completed'];
const STATUS_ORDER: Readonly<Record<ParticipationStatus, number>> = {
  'not-started': 0,
  'in-progress': 1,
  completed: 2,
};

function present(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function joinName(givenName: string | undefined, familyName: string | undefined): string | undefined {
  return present([present(givenName), present(familyName)].filter(Boolean).join(' '));
}

function fullNameOf(person: {
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
}): string | undefined {
  return present(person.name) ?? joinName(person.givenName, person.familyName);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lowercase, without diacritics: the form search compares. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function roundTo1(value: number): number {
  return Math.round(value * 10) / 10;
}

function latestParticipants(participants: readonly ClassParticipant[]): Map<string, ClassParticipant> {
  const byUser = new Map<string, ClassParticipant>();
  for (const participant of participants) {
    const known = byUser.get(participant.userId);
    if (
      !known ||
      participant.version > known.version ||
      (participant.version === known.version && participant.updatedAt > known.updatedAt)
    )
      byUser.set(participant.userId, participant);
  }
  return byUser;
}

function latestSyncs(syncs: readonly GradeSync[]): Map<string, GradeSync> {
  const byUser = new Map<string, GradeSync>();
  for (const sync of syncs) {
    const known = byUser.get(sync.userId);
    if (!known || !known.at || (sync.at && sync.at >= known.at)) byUser.set(sync.userId, sync);
  }
  return byUser;
}

/** The snapshot's competence for each code (snapshots are in scope order: checked first, searched otherwise). */
function cellsOf(participant: ClassParticipant, codes: readonly string[]): StudentRow['cells'] {
  const list = participant.competences;
  return codes.map((code, index) => {
    const inPlace = list[index];
    // A ParticipantCompetence is a cell as it is (code, pix, level, status): shared, not copied.
    return inPlace?.code === code ? inPlace : list.find((competence) => competence.code === code);
  });
}

function buildRow(
  userId: string,
  member: CourseMember | undefined,
  participant: ClassParticipant | undefined,
  sync: GradeSync | undefined,
  codes: readonly string[],
): StudentRow {
  const rosterName = member ? fullNameOf(member) : undefined;
  const nameSource = rosterName ? member : participant;
  const name = rosterName ?? (participant ? fullNameOf(participant) : undefined);
  const givenName = present(nameSource?.givenName);
  const familyName = present(nameSource?.familyName);
  const email = present(member?.email) ?? present(participant?.email);
  const rosterStatus = member && member.status !== 'Deleted' ? member.status : undefined;
  const gradeSync = sync ?? { userId, state: 'none' as const };
  if (!participant) {
    return {
      userId,
      name,
      givenName,
      familyName,
      email,
      inRoster: member !== undefined,
      rosterStatus,
      launched: false,
      status: 'not-started',
      answerCount: 0,
      pix: 0,
      maxPix: 0,
      cells: codes.map(() => undefined),
      gradeSync,
    };
  }
  let validated = 0;
  let targeted = 0;
  for (const tube of participant.tubes) {
    validated += tube.validated;
    targeted += tube.targeted;
  }
  return {
    userId,
    name,
    givenName,
    familyName,
    email,
    externalId: present(participant.externalId),
    inRoster: member !== undefined,
    rosterStatus,
    launched: true,
    status: participant.status,
    answerCount: participant.answerCount,
    startedAt: participant.startedAt,
    completedAt: participant.completedAt,
    lastLaunchAt: participant.lastLaunchAt,
    pix: participant.pix,
    maxPix: participant.maxPix,
    cells: cellsOf(participant, codes),
    masteryPercent: targeted === 0 ? 0 : Math.round((100 * validated) / targeted),
    gradeSync,
    participant,
  };
}

/** Every roster learner (minus 'Deleted' members) and every participant, merged on the user id. */
export function mergeRows(
  participants: readonly ClassParticipant[],
  roster: readonly CourseMember[] | undefined,
  gradeSyncs: readonly GradeSync[],
  competenceCodes: readonly string[],
): StudentRow[] {
  const participantByUser = latestParticipants(participants);
  const syncByUser = latestSyncs(gradeSyncs);
  const memberByUser = new Map<string, CourseMember>();
  for (const member of roster ?? []) {
    if (member.status !== 'Deleted' && !memberByUser.has(member.userId))
      memberByUser.set(member.userId, member);
  }
  const userIds = new Set([...memberByUser.keys(), ...participantByUser.keys()]);
  return [...userIds].map((userId) =>
    buildRow(
      userId,
      memberByUser.get(userId),
      participantByUser.get(userId),
      syncByUser.get(userId),
      competenceCodes,
    ),
  );
}

function invalidQuery(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** DomainError VALIDATION_FAILED for a query the dashboard cannot answer (unknown key, code, status…). */
export function validateQuery(query: DashboardQuery, competenceCodes: readonly string[]): void {
  const sort: string = query.sort;
  const sortCode = sort.startsWith('competence:') ? sort.slice('competence:'.length) : undefined;
  const knownSort =
    sortCode === undefined
      ? ['name', 'status', 'pix', 'mastery'].includes(sort)
      : competenceCodes.includes(sortCode);
  if (!knownSort) throw invalidQuery(`Unknown sort key "${sort}"`, { sort });
  if (query.direction !== 'asc' && query.direction !== 'desc')
    throw invalidQuery(`Unknown sort direction "${String(query.direction)}"`, { direction: query.direction });
  for (const status of query.statuses) {
    if (!STATUSES.includes(status)) throw invalidQuery(`Unknown status "${String(status)}"`, { status });
  }
  if (typeof query.search !== 'string') throw invalidQuery('The search must be text', {});
  if (query.competence) {
    const { code, maxLevel } = query.competence;
    if (!competenceCodes.includes(code))
      throw invalidQuery(`Competence "${code}" is not in the activity's scope`, { code });
    if (!Number.isInteger(maxLevel) || maxLevel < 0)
      throw invalidQuery(`The level filter must be a whole number from 0`, { maxLevel });
  }
}

/** A total order on rows for a sort key and direction (see the rules at the top of this file). */
export function createRowComparator(
  sort: SortKey,
  direction: SortDirection,
  competenceCodes: readonly string[],
  locale: string,
): (a: StudentRow, b: StudentRow) => number {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const sign = direction === 'desc' ? -1 : 1;
  /** Compares names ascending, missing last; `directionSign` reverses present names only. */
  const compareNames = (a: StudentRow, b: StudentRow, directionSign: number): number => {
    if (a.name === undefined || b.name === undefined)
      return a.name === b.name ? 0 : a.name === undefined ? 1 : -1;
    return directionSign * collator.compare(a.name, b.name);
  };
  const tieBreak = (a: StudentRow, b: StudentRow): number =>
    compareNames(a, b, 1) || compareStrings(a.userId, b.userId);

  if (sort === 'name') return (a, b) => compareNames(a, b, sign) || compareStrings(a.userId, b.userId);

  let valueOf: (row: StudentRow) => readonly number[] | undefined;
  if (sort === 'status') valueOf = (row) => [STATUS_ORDER[row.status]];
  else if (sort === 'pix') valueOf = (row) => [row.pix];
  else if (sort === 'mastery')
    valueOf = (row) => (row.masteryPercent === undefined ? undefined : [row.masteryPercent]);
  else {
    const index = competenceCodes.indexOf(sort.slice('competence:'.length));
    valueOf = (row) => {
      const cell = index < 0 ? undefined : row.cells[index];
      return cell ? [cell.level, cell.pix] : undefined;
    };
  }
  return (a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
    } else {
      for (let i = 0; i < va.length; i += 1) {
        const difference = (va[i] ?? 0) - (vb[i] ?? 0);
        if (difference !== 0) return sign * difference;
      }
    }
    return tieBreak(a, b);
  };
}

/** The row filter of a query (see the rules at the top of this file). */
export function createRowFilter(
  query: DashboardQuery,
  competenceCodes: readonly string[],
): (row: StudentRow) => boolean {
  const statuses = new Set(query.statuses);
  const words = foldForSearch(query.search).split(/\s+/).filter(Boolean);
  const competenceIndex = query.competence ? competenceCodes.indexOf(query.competence.code) : -1;
  const maxLevel = query.competence?.maxLevel ?? Infinity;
  return (row) => {
    if (statuses.size > 0 && !statuses.has(row.status)) return false;
    if (competenceIndex >= 0 && (row.cells[competenceIndex]?.level ?? 0) > maxLevel) return false;
    if (words.length > 0) {
      const haystack = foldForSearch(
        [row.name, row.givenName, row.familyName, row.email, row.externalId].filter(Boolean).join('\n'),
      );
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  };
}

export function summarize(rows: readonly StudentRow[]): DashboardSummary {
  let launched = 0;
  let pix = 0;
  const byStatus: Record<ParticipationStatus, number> = { 'not-started': 0, 'in-progress': 0, completed: 0 };
  for (const row of rows) {
    byStatus[row.status] += 1;
    if (row.launched) {
      launched += 1;
      pix += row.pix;
    }
  }
  return {
    listed: rows.length,
    notStarted: byStatus['not-started'],
    inProgress: byStatus['in-progress'],
    completed: byStatus.completed,
    meanPix: launched === 0 ? 0 : roundTo1(pix / launched),
  };
}

function isEvaluated(cell: StudentRow['cells'][number]): cell is NonNullable<StudentRow['cells'][number]> {
  return cell !== undefined && cell.status !== undefined && cell.status !== 'not-started';
}

function clampLevel(level: number, maxLevel: number): number {
  // A snapshot's level is already capped by the activity; clamping only guards the counts' bounds.
  return Math.min(maxLevel, Math.max(0, Math.floor(level)));
}

/** Per competence: learners evaluated in it (status ≠ not-started), their mean pix and level, level counts. */
export function competenceStats(
  rows: readonly StudentRow[],
  competences: readonly DashboardCompetence[],
  maxLevel: number,
): CompetenceStats[] {
  return competences.map((competence, index) => {
    let evaluated = 0;
    let pix = 0;
    let levels = 0;
    const levelCounts = new Array<number>(maxLevel + 1).fill(0);
    for (const row of rows) {
      const cell = row.cells[index];
      if (!isEvaluated(cell)) continue;
      const level = clampLevel(cell.level, maxLevel);
      evaluated += 1;
      pix += cell.pix;
      levels += level;
      levelCounts[level] = (levelCounts[level] ?? 0) + 1;
    }
    return {
      code: competence.code,
      areaCode: competence.areaCode,
      evaluated,
      meanPix: evaluated === 0 ? 0 : roundTo1(pix / evaluated),
      meanLevel: evaluated === 0 ? 0 : roundTo1(levels / evaluated),
      levelCounts,
    };
  });
}

/**
 * Per area (in the order its first competence appears in the scope):
 * - `evaluated`: learners evaluated in at least one of the area's competences in scope;
 * - `meanPix`: over those learners, of their pix summed over the area's competences in scope;
 * - `meanLevel` and `levelCounts`: over the evaluated (learner, competence) pairs of the area, since a
 *   level belongs to a competence — so `levelCounts` sums to the number of pairs, which can exceed
 *   `evaluated`.
 */
export function areaStats(
  rows: readonly StudentRow[],
  competences: readonly DashboardCompetence[],
  maxLevel: number,
): AreaStats[] {
  const indexesByArea = new Map<string, number[]>();
  competences.forEach((competence, index) => {
    const indexes = indexesByArea.get(competence.areaCode) ?? [];
    indexes.push(index);
    indexesByArea.set(competence.areaCode, indexes);
  });
  return [...indexesByArea].map(([code, indexes]) => {
    let evaluated = 0;
    let pix = 0;
    let pairs = 0;
    let levels = 0;
    const levelCounts = new Array<number>(maxLevel + 1).fill(0);
    for (const row of rows) {
      let rowPix = 0;
      let rowPairs = 0;
      for (const index of indexes) {
        const cell = row.cells[index];
        rowPix += cell?.pix ?? 0;
        if (!isEvaluated(cell)) continue;
        const level = clampLevel(cell.level, maxLevel);
        rowPairs += 1;
        levels += level;
        levelCounts[level] = (levelCounts[level] ?? 0) + 1;
      }
      if (rowPairs === 0) continue;
      evaluated += 1;
      pix += rowPix;
      pairs += rowPairs;
    }
    return {
      code,
      evaluated,
      meanPix: evaluated === 0 ? 0 : roundTo1(pix / evaluated),
      meanLevel: pairs === 0 ? 0 : roundTo1(levels / pairs),
      levelCounts,
    };
  });
}

export function buildDashboard(input: BuildDashboardInput): Dashboard {
  if (!Number.isInteger(input.maxLevel) || input.maxLevel < 0)
    throw new RangeError(`maxLevel must be a whole number from 0, got ${input.maxLevel}`);
  const competenceCodes = input.competences.map((competence) => competence.code);
  validateQuery(input.query, competenceCodes);

  const allRows = mergeRows(input.participants, input.roster, input.gradeSyncs, competenceCodes);
  const rows = allRows
    .filter(createRowFilter(input.query, competenceCodes))
    .sort(createRowComparator(input.query.sort, input.query.direction, competenceCodes, input.locale));
  const launched = allRows.flatMap((row) => (row.participant ? [row.participant] : []));

  return {
    roster: input.rosterState,
    competenceCodes,
    rows,
    summary: summarize(allRows),
    competences: competenceStats(allRows, input.competences, input.maxLevel),
    areas: areaStats(allRows, input.competences, input.maxLevel),
    practiceUnits: buildPracticeUnits({
      tubes: input.tubes,
      participants: launched,
      availableTutorials: input.availableTutorials,
    }),
  };
}
