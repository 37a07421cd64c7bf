import { Schema, type Connection } from 'mongoose';
import type { Clock } from '../../shared/domain/clock.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import { ensureModelIndexes } from '../../shared/infrastructure/database/mongo-helpers.js';
import { describeFailure } from '../domain/grade-outbox.js';
import type { Launch } from '../domain/launch.js';
import { launchRoleOf, type LaunchRole } from '../domain/roles.js';
import { ServiceFailure, type ServiceClient } from './service-client.js';

/**
 * The course roster from LTI Names and Role Provisioning Services: every page fetched (Link
 * rel="next"), cached per context so that a dashboard does not call the LMS on each view, and the
 * stale copy served when the LMS fails. Launches without the NRPS claim (Canvas account-level
 * launches, services switched off) have no roster; that is said, not thrown.
 */

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const MEMBERSHIP_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
export const ROSTERS_COLLECTION = 'lti_rosters';

export interface RosterMember {
  readonly userId: string;
  readonly name?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly email?: string;
  readonly roles: readonly string[];
  readonly role: LaunchRole;
  readonly status: 'Active' | 'Inactive' | 'Deleted';
}

export type RosterResult =
  | { readonly available: false; readonly reason: 'no-context' | 'not-offered' }
  | {
      readonly available: true;
      readonly members: readonly RosterMember[];
      readonly fetchedAt: Date;
      /** Set when the LMS failed and an older copy is served. */
      readonly stale?: { readonly error: string };
    }
  | {
      readonly available: true;
      readonly members: readonly [];
      readonly error: string;
      readonly fetchedAt?: undefined;
    };

/**
 * The cached roster of a course. The members are kept as one JSON text: a dashboard reads this
 * document on every view, and the embedded engine reads one long text far faster than a thousand
 * sub-documents (tools/bench-dashboard.ts). Copies cached before that kept a `members` array; they
 * are still read.
 */
interface RosterDocument {
  _id: string;
  membersJson?: string;
  members?: RosterMember[];
  fetchedAt: Date;
}

function membersOf(document: RosterDocument): RosterMember[] {
  if (typeof document.membersJson === 'string') return JSON.parse(document.membersJson) as RosterMember[];
  return document.members ?? [];
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function toMember(raw: Record<string, unknown>): RosterMember | undefined {
  const userId = text(raw.user_id);
  if (!userId) return undefined;
  const roles = Array.isArray(raw.roles)
    ? raw.roles.filter((role): role is string => typeof role === 'string')
    : [];
  const status = raw.status === 'Inactive' || raw.status === 'Deleted' ? raw.status : 'Active';
  return {
    userId,
    ...(text(raw.name) && { name: text(raw.name) }),
    ...(text(raw.given_name) && { givenName: text(raw.given_name) }),
    ...(text(raw.family_name) && { familyName: text(raw.family_name) }),
    ...(text(raw.email) && { email: text(raw.email) }),
    roles,
    role: launchRoleOf(roles),
    status,
  };
}

/** The URL of `rel="next"` in a Link header, if any. */
export function nextPageUrl(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]?.split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

export interface RosterService {
  rosterFor(launch: Launch, options?: { maxAgeMs?: number }): Promise<RosterResult>;
  ensureIndexes(): Promise<void>;
}

export function createRosterService(deps: {
  connection: Connection;
  service: ServiceClient;
  clock: Clock;
  pageSize?: number;
  maxPages?: number;
}): RosterService {
  const pageSize = deps.pageSize ?? 100;
  const maxPages = deps.maxPages ?? 200;
  const Roster = modelOn(
    deps.connection,
    'LtiRoster',
    new Schema<RosterDocument>(
      { _id: String, membersJson: String, members: Schema.Types.Mixed, fetchedAt: Date },
      { versionKey: false, collection: ROSTERS_COLLECTION },
    ),
  );

  async function fetchAll(launch: Launch, url: string): Promise<RosterMember[]> {
    const members: RosterMember[] = [];
    const first = new URL(url);
    first.searchParams.set('limit', String(pageSize));
    let next: string | undefined = first.toString();
    for (let page = 0; next && page < maxPages; page += 1) {
      const response = await deps.service.request(launch, [NRPS_SCOPE], next, {
        headers: { Accept: MEMBERSHIP_MEDIA_TYPE },
      });
      const body = (await response.json()) as { members?: unknown };
      for (const raw of Array.isArray(body.members) ? body.members : []) {
        const member = toMember(raw as Record<string, unknown>);
        if (member) members.push(member);
      }
      next = nextPageUrl(response.headers.get('link'));
    }
    return members;
  }

  return {
    async ensureIndexes() {
      await ensureModelIndexes([Roster]);
    },
    async rosterFor(launch, options = {}) {
      if (!launch.context) return { available: false, reason: 'no-context' };
      if (!launch.nrps) return { available: false, reason: 'not-offered' };
      const key = JSON.stringify([launch.issuer, launch.clientId, launch.deploymentId, launch.context.id]);
      const cached = await Roster.findById(key).lean<RosterDocument>();
      const now = deps.clock.now();
      if (cached && now.getTime() - cached.fetchedAt.getTime() <= (options.maxAgeMs ?? 10 * 60_000)) {
        return { available: true, members: membersOf(cached), fetchedAt: cached.fetchedAt };
      }
      try {
        const members = await fetchAll(launch, launch.nrps.membershipsUrl);
        // A cache write: if two dashboards race to write it, the loser's error is harmless.
        await Roster.replaceOne(
          { _id: key },
          { _id: key, membersJson: JSON.stringify(members), fetchedAt: now },
          { upsert: true },
        ).catch(() => undefined);
        return { available: true, members, fetchedAt: now };
      } catch (error) {
        const message =
          error instanceof ServiceFailure ? describeFailure(error.failure) : (error as Error).message;
        if (cached)
          return {
            available: true,
            members: membersOf(cached),
            fetchedAt: cached.fetchedAt,
            stale: { error: message },
          };
        return { available: true, members: [], error: message };
      }
    },
  };
}
