/**
 * An in-memory ParticipantRepository for the teaching use cases' unit tests, with the contract of
 * the mongoose one (src/teaching/infrastructure/participant-repository.ts): `save` never replaces a
 * newer snapshot, `recordLaunch` creates a participant or refreshes identity and lastLaunchAt only.
 * Stored objects are copied, so a test cannot change them by accident.
 */
import type { ParticipantRepository } from '../../../../src/teaching/application/ports.js';
import type { ActivityKey, ClassParticipant } from '../../../../src/teaching/domain/class-participant.js';

const keyOf = (activity: ActivityKey, userId: string) =>
  JSON.stringify([activity.issuer, activity.clientId, activity.contextId, activity.resourceLinkId, userId]);

const IDENTITY = ['name', 'givenName', 'familyName', 'email', 'externalId'] as const;

export function createInMemoryParticipantRepository(): ParticipantRepository & {
  readonly stored: Map<string, ClassParticipant>;
} {
  const stored = new Map<string, ClassParticipant>();
  const copy = (participant: ClassParticipant) => structuredClone(participant);
  return {
    stored,
    async save(participant) {
      const key = keyOf(participant, participant.userId);
      const known = stored.get(key);
      if (known && known.version > participant.version) return false;
      stored.set(key, copy(participant));
      return true;
    },
    async recordLaunch(participant) {
      const key = keyOf(participant, participant.userId);
      const known = stored.get(key);
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
            participant.contextId === activity.contextId &&
            participant.resourceLinkId === activity.resourceLinkId,
        )
        .map(copy);
    },
    async listByContext(issuer, clientId, contextId) {
      return [...stored.values()]
        .filter(
          (participant) =>
            participant.issuer === issuer &&
            participant.clientId === clientId &&
            participant.contextId === contextId,
        )
        .map(copy);
    },
    async find(activity, userId) {
      const known = stored.get(keyOf(activity, userId));
      return known && copy(known);
    },
    async ensureIndexes() {},
  };
}
