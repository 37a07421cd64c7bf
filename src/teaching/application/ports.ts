/**
 * The teaching context's contract: what the dashboard routes call, and what the teaching use cases
 * need from storage. Implemented by src/teaching/application/use-cases.ts (with the participant
 * repository in src/teaching/infrastructure, the LTI roster and grade outbox).
 */
import type { AnsweredChallenge } from '../../evaluation/domain/learner-summary.js';
import type { Launch } from '../../lti/domain/launch.js';
import type { Locale } from '../../shared/domain/locale.js';
import type { ActivityKey, ClassParticipant, CourseKey } from '../domain/class-participant.js';
import type { Dashboard, DashboardQuery, StudentRow } from '../domain/dashboard-model.js';

/** The page's translator (res.locals.t). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface ParticipantRepository {
  /**
   * Writes the snapshot unless a stored one has a greater version (keeping the stored identity and
   * launch dates); returns whether it was written. A stored document it cannot read is overwritten.
   */
  save(participant: ClassParticipant): Promise<boolean>;
  /**
   * Records a launch (creates the participant as not started, or refreshes name, email, lastLaunchAt)
   * and lists the participant among the learner's (`listByLearner`).
   */
  recordLaunch(participant: ClassParticipant): Promise<void>;
  /** The participants of one activity; a stored document that cannot be read is skipped (and logged). */
  listByActivity(activity: ActivityKey): Promise<ClassParticipant[]>;
  /** Every participant of every activity of one course (one deployment, one context); same skipping. */
  listByContext(course: CourseKey): Promise<ClassParticipant[]>;
  /** Every participant record of one learner (every activity, course and deployment they launched). */
  listByLearner(learnerKey: string): Promise<ClassParticipant[]>;
  find(activity: ActivityKey, userId: string): Promise<ClassParticipant | undefined>;
  ensureIndexes(): Promise<void>;
}

/** One answer in the drill-down: the evaluation's own record of it. */
export type StudentAnswer = AnsweredChallenge;

export interface StudentDetail {
  readonly row: StudentRow;
  /** Per competence of the activity's scope: its answers, oldest first. */
  readonly answersByCompetence: ReadonlyArray<{
    readonly code: string;
    readonly answers: readonly StudentAnswer[];
  }>;
}

/** One activity of the course, for the course overview beside an activity's dashboard. */
export interface CourseActivity {
  readonly resourceLinkId: string;
  readonly title?: string;
  readonly participants: number;
  readonly completed: number;
  readonly meanPix: number;
  /** This is the activity the instructor launched. */
  readonly current: boolean;
}

export interface TeachingUseCases {
  /** Called on every accepted learner launch into a resource link of a course; never throws to the caller's page. */
  recordLaunch(launch: Launch): Promise<void>;
  /**
   * Recomputes a learner's snapshot for the activity of this launch (after an answer, skip, completion),
   * and those of their other activities (the profile is shared); up-to-date snapshots are skipped.
   */
  refreshParticipant(launch: Launch): Promise<void>;
  /** The dashboard of the activity the instructor launched. */
  getDashboard(launch: Launch, query: DashboardQuery, locale: Locale): Promise<Dashboard>;
  /** Every activity of the launch's course that learners launched, with a summary each. */
  getCourseActivities(launch: Launch): Promise<CourseActivity[]>;
  /** One student of that activity; DomainError STUDENT_NOT_FOUND when not in this activity's course. */
  getStudent(launch: Launch, userId: string, locale: Locale): Promise<StudentDetail>;
  /**
   * The CSV export of the activity (UTF-8 with BOM, `;`), one row per learner. Column headers and
   * statuses come from the locale files through `t` (keys teaching.csv.* and teaching.status.*).
   */
  exportCsv(launch: Launch, locale: Locale, t: Translate): Promise<{ filename: string; body: string }>;
  /** Retries a failed score of a student of this activity; DomainError GRADE_NOT_FOUND otherwise. */
  retryGrade(launch: Launch, entryId: string): Promise<void>;
}
