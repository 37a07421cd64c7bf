/**
 * An in-memory ParticipantRepository for the teaching use cases' unit tests, with the contract of
 * the mongoose one (src/teaching/infrastructure/participant-repository.ts): `save` never replaces a
 * newer snapshot and keeps the stored identity, titles and launch dates; `recordLaunch` creates a
 * participant or refreshes identity and lastLaunchAt only, and lists it among the learner's.
 * Stored objects are copied, so a test cannot change them by accident.
 */
import type { ParticipantRepository } from '../../../../src/teaching/application/ports.js';
import { participantId, type ClassParticipant } from '../../../../src/teaching/domain/class-participant.js';

const IDENTITY = ['name', 'givenName', 'familyName', 'email', 'externalId'] as const;
const KEPT_ON_SAVE = [...IDENTITY, 'activityTitle', 'contextTitle', 'firstLaunchAt', 'lastLaunchAt'] as const;

export function createInMemoryParticipantRepository(): ParticipantRepository & {
  readonly stored: Map<string, ClassParticipant>;
  /** Per learner key, their participants' keys (what recordLaunch and a first save list). */
  readonly learners: Map<string, string[]>;
} {
  const stored = new Map<string, ClassParticipant>();
  const learners = new Map<string, string[]>();
  const copy = (participant: ClassParticipant) => structuredClone(participant);
  const remember = (learnerKey: string, key: string) => {
    const keys = learners.get(learnerKey) ?? [];
    if (!keys.includes(key)) learners.set(learnerKey, [...keys, key]);
  };
  return {
    stored,
    learners,
    async save(participant) {
      const key = participantId(participant, participant.userId);
      const known = stored.get(key);
      if (known && known.version > participant.version) return false;
      if (!known) {
        stored.set(key, copy(participant));
        remember(participant.learnerKey, key);
        return true;
      }
      const kept: Record<string, unknown> = { ...participant };
      for (const field of KEPT_ON_SAVE) {
        if (known[field] === undefined) delete kept[field];
        else kept[field] = known[field];
      }
      stored.set(key, copy(kept as unknown as ClassParticipant));
      return true;
    },
    async recordLaunch(participant) {
      const key = participantId(participant, participant.userId);
      const known = stored.get(key);
      remember(participant.learnerKey, key);
      if (!known) {
        stored.set(key, copy(participant));
        return;
      }
      const refreshed: Record<string, unknown> = { ...known, lastLaunchAt: participant.lastLaunchAt };
      for (const field of IDENTITY) {
        if (participant[field] === undefined) delete refreshed[field];
        else refreshed[field] = participant[field];
      }
      if (participant.activityTitle) refreshed.activityTitle = participant.activityTitle;
      if (participant.contextTitle) refreshed.contextTitle = participant.contextTitle;
      stored.set(key, copy(refreshed as unknown as ClassParticipant));
    },
    async listByActivity(activity) {
      return [...stored.values()]
        .filter(
          (participant) =>
            participant.issuer === activity.issuer &&
            participant.clientId === activity.clientId &&
            participant.deploymentId === activity.deploymentId &&
            participant.contextId === activity.contextId &&
            participant.resourceLinkId === activity.resourceLinkId,
        )
        .map(copy);
    },
    async listByContext(course) {
      return [...stored.values()]
        .filter(
          (participant) =>
            participant.issuer === course.issuer &&
            participant.clientId === course.clientId &&
            participant.deploymentId === course.deploymentId &&
            participant.contextId === course.contextId,
        )
        .map(copy);
    },
    async listByLearner(learnerKey) {
      return (learners.get(learnerKey) ?? []).flatMap((key) => {
        const known = stored.get(key);
        return known ? [copy(known)] : [];
      });
    },
    async find(activity, userId) {
      const known = stored.get(participantId(activity, userId));
      return known && copy(known);
    },
    async ensureIndexes() {},
  };
}
