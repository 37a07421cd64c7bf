/**
 * What a course dashboard shows, as plain data (built by dashboard.ts from participants, the roster
 * and the grade outbox; rendered by views/teaching/*). Nothing here knows about HTTP or storage.
 */
import type { ClassParticipant, GradeSync, ParticipationStatus } from './class-participant.js';

/** A row of the dashboard: a roster member, a launcher, or both merged on the LTI user id. */
export interface StudentRow {
  /** Opaque id used in the drill-down URL: the LTI user id. */
  readonly userId: string;
  /** Display name: LMS name, else the launch name, else a neutral "student n" chosen by the view. */
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly email?: string;
  readonly externalId?: string;
  /** Listed by the LMS roster (NRPS); false for a launcher the roster does not list (or no roster). */
  readonly inRoster: boolean;
  /** The roster member's status when listed ('Deleted' members are dropped): lets the view flag 'Inactive'. */
  readonly rosterStatus?: 'Active' | 'Inactive';
  /** Never launched the activity: no participant record. */
  readonly launched: boolean;
  readonly status: ParticipationStatus;
  readonly answerCount: number;
  readonly startedAt?: Date;
  readonly completedAt?: Date;
  readonly lastLaunchAt?: Date;
  readonly pix: number;
  readonly maxPix: number;
  /** One cell per competence of the dashboard's columns, same order; undefined when not launched. */
  readonly cells: ReadonlyArray<
    | {
        readonly code: string;
        readonly pix: number;
        readonly level: number;
        /** The learner's status in this competence: tells "level 0 after answers" from "not started". */
        readonly status?: ParticipationStatus;
      }
    | undefined
  >;
  /** Validated / targeted skills over the activity's tubes, 0…100; undefined when not launched. */
  readonly masteryPercent?: number;
  readonly gradeSync: GradeSync;
  /** Kept for the drill-down and the export; absent when not launched. */
  readonly participant?: ClassParticipant;
}

export type SortKey = 'name' | 'status' | 'pix' | 'mastery' | `competence:${string}`;
export type SortDirection = 'asc' | 'desc';

export interface DashboardQuery {
  readonly sort: SortKey;
  readonly direction: SortDirection;
  /** Keep only these statuses (all when empty). */
  readonly statuses: readonly ParticipationStatus[];
  /** Case- and accent-insensitive match on name, email or external id. */
  readonly search: string;
  /** Keep only rows whose level on this competence is at most `maxLevel`. */
  readonly competence?: { readonly code: string; readonly maxLevel: number };
}

export interface Distribution {
  /** Learners with at least one answer in this competence (or area) — the mean's denominator. */
  readonly evaluated: number;
  readonly meanPix: number;
  readonly meanLevel: number;
  /** counts[level] for levels 0…maxLevel, over the evaluated learners. */
  readonly levelCounts: readonly number[];
}

export interface CompetenceStats extends Distribution {
  readonly code: string;
  readonly areaCode: string;
}

/**
 * For an area, `evaluated` counts learners evaluated in at least one of its competences in scope and
 * `meanPix` is over them (a learner's pix summed over the area's competences in scope), while
 * `meanLevel` and `levelCounts` are over the evaluated (learner, competence) pairs (see dashboard.ts).
 */
export interface AreaStats extends Distribution {
  readonly code: string;
}

export interface PracticeUnit {
  readonly tubeId: string;
  readonly competenceCode: string;
  /** Sum of validated / sum of targeted over the learners who answered in the competence, 0…100. */
  readonly masteryPercent: number;
  readonly learners: number;
  /** Tutorials of the tube's skills the class missed most, in the dashboard's locale. */
  readonly tutorialIds: readonly string[];
}

export interface DashboardSummary {
  readonly listed: number;
  readonly notStarted: number;
  readonly inProgress: number;
  readonly completed: number;
  readonly meanPix: number;
}

/** Whether the LMS roster (NRPS) could be merged in, and why not. */
export type RosterState =
  | { readonly kind: 'merged'; readonly fetchedAt: Date; readonly stale?: boolean }
  | {
      readonly kind: 'unavailable';
      readonly reason: 'no-context' | 'not-offered' | 'error';
      readonly error?: string;
    };

export interface Dashboard {
  readonly roster: RosterState;
  readonly competenceCodes: readonly string[];
  /** All rows after filtering and sorting (the view pages them if it wants). */
  readonly rows: readonly StudentRow[];
  /** Before filtering. */
  readonly summary: DashboardSummary;
  readonly competences: readonly CompetenceStats[];
  readonly areas: readonly AreaStats[];
  /** Weakest first. */
  readonly practiceUnits: readonly PracticeUnit[];
}
