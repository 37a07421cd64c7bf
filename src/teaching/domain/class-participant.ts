/**
 * The teaching read model. A class participant is one learner in one activity (LTI resource link)
 * of one course (LTI context): who they are, where they stand in the activity, and a snapshot of
 * their profile for the competences in the activity's scope and the tubes of those competences.
 *
 * The snapshot is written when the learner launches and after each of their answers, skips and
 * completions, so that a dashboard of 1,000 learners reads 1,000 small documents and aggregates
 * them in application code (architecture.md: no $group/$lookup on the embedded engine).
 * The profile itself stays the source of truth; a snapshot only ever replaces an older one
 * (`version`), so a late write cannot undo a newer one.
 */

export type ParticipationStatus = 'not-started' | 'in-progress' | 'completed';

/**
 * The LTI coordinates of a course: one context of one deployment of one registration. LTI makes
 * context and resource-link ids unique only within a deployment, so the deployment is part of it.
 */
export interface CourseKey {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string;
}

/** The LTI coordinates of an activity: one resource link of one course. */
export interface ActivityKey extends CourseKey {
  readonly resourceLinkId: string;
}

export interface ParticipantCompetence {
  readonly code: string;
  readonly pix: number;
  readonly level: number;
  readonly status: ParticipationStatus;
}

/** Mastery of one tube: validated skills over the active skills of the tube (up to the max level). */
export interface ParticipantTube {
  readonly tubeId: string;
  readonly validated: number;
  readonly targeted: number;
}

export interface ClassParticipant extends ActivityKey {
  /** The platform's user id (LTI `sub`): what the NRPS roster and the grade outbox use. */
  readonly userId: string;
  /** issuer + sub: the learner's identity for the evaluation context. */
  readonly learnerKey: string;
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly email?: string;
  /** The resource link's title as the LMS sent it at the last launch. */
  readonly activityTitle?: string;
  /** The course's title as the LMS sent it at the last launch. */
  readonly contextTitle?: string;
  /** `lis.person_sourcedid` (or the `external_id` custom parameter) when the LMS sends one. */
  readonly externalId?: string;
  readonly firstLaunchAt: Date;
  readonly lastLaunchAt: Date;
  readonly status: ParticipationStatus;
  /** Answers (skips included) given in the activity's competences. */
  readonly answerCount: number;
  readonly startedAt?: Date;
  readonly completedAt?: Date;
  /** Pix in the activity's scope (what the gradebook receives). */
  readonly pix: number;
  readonly maxPix: number;
  /** The competences of the activity's scope, in framework order. */
  readonly competences: readonly ParticipantCompetence[];
  /** The tubes of those competences, in framework order. */
  readonly tubes: readonly ParticipantTube[];
  /** The highest reachable level the snapshot was computed with (MAX_REACHABLE_LEVEL). */
  readonly maxLevel: number;
  /** Grows with every change of the learner's evaluation data (answers + KEs + resets). */
  readonly version: number;
  readonly updatedAt: Date;
}

/** One member of the course as the LMS lists it (NRPS), reduced to what the dashboard shows. */
export interface CourseMember {
  readonly userId: string;
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly email?: string;
  readonly status: 'Active' | 'Inactive' | 'Deleted';
}

/**
 * What a snapshot was computed on besides the learner's data: the competences, the tubes and their
 * targeted skills (they follow the content) and the max level (a setting). A snapshot whose
 * fingerprint differs from the current one is stale even at the same version.
 */
export function snapshotFingerprint(
  participant: Pick<ClassParticipant, 'competences' | 'tubes' | 'maxLevel'>,
): string {
  return JSON.stringify([
    participant.competences.map((competence) => competence.code),
    participant.tubes.map((tube) => [tube.tubeId, tube.targeted]),
    participant.maxLevel,
  ]);
}

export type GradeSyncState = 'delivered' | 'pending' | 'failed' | 'none';

/** The latest score sent to the gradebook for one user of the activity. */
export interface GradeSync {
  readonly userId: string;
  readonly state: GradeSyncState;
  /** The outbox entry to retry, when failed. */
  readonly entryId?: string;
  readonly lastError?: string;
  readonly at?: Date;
}

/** A participant's document id: the activity key and the user, as JSON (ids may hold any character). */
export function participantId(activity: ActivityKey, userId: string): string {
  return JSON.stringify([
    activity.issuer,
    activity.clientId,
    activity.deploymentId,
    activity.contextId,
    activity.resourceLinkId,
    userId,
  ]);
}
