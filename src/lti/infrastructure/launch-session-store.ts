import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import { ensureModelIndexes } from '../../shared/infrastructure/database/mongo-helpers.js';
import type { Launch } from '../domain/launch.js';

/**
 * One session per launch. Its id travels in our URLs (/app/<id>/…) and is not a secret; its secret
 * travels in an httpOnly cookie named after the id, and only its SHA-256 is stored. Two launches in
 * two iframes of one browser therefore never overwrite each other (ltijs #51, #181).
 */
export interface LaunchSession {
  readonly id: string;
  readonly launch: Launch;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface LaunchSessionStore {
  create(launch: Launch, now: Date, lifetimeMs: number): Promise<{ session: LaunchSession; secret: string }>;
  /** The session, when the secret matches and it has not expired. */
  find(id: string, secret: string | undefined, now: Date): Promise<LaunchSession | undefined>;
  ensureIndexes(): Promise<void>;
}

export const LAUNCH_SESSIONS_COLLECTION = 'lti_sessions';

interface SessionDocument {
  _id: string;
  secretHash: string;
  launch: Launch;
  createdAt: Date;
  expiresAt: Date;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function createMongoLaunchSessionStore(connection: Connection): LaunchSessionStore {
  const Session = modelOn(
    connection,
    'LtiSession',
    new Schema<SessionDocument>(
      { _id: String, secretHash: String, launch: Schema.Types.Mixed, createdAt: Date, expiresAt: Date },
      { versionKey: false, collection: LAUNCH_SESSIONS_COLLECTION },
    ).index({ 'launch.learnerKey': 1 }),
  );
  return {
    async ensureIndexes() {
      await ensureModelIndexes([Session]);
    },
    async create(launch, now, lifetimeMs) {
      const id = randomBytes(16).toString('base64url');
      const secret = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + lifetimeMs);
      await Session.create({ _id: id, secretHash: hash(secret), launch, createdAt: now, expiresAt });
      return { session: { id, launch, createdAt: now, expiresAt }, secret };
    },
    async find(id, secret, now) {
      if (!secret || !/^[\w-]{16,64}$/.test(id)) return undefined;
      const found = await Session.findById(id).lean();
      if (!found || found.expiresAt.getTime() <= now.getTime()) return undefined;
      const expected = Buffer.from(found.secretHash, 'hex');
      const given = Buffer.from(hash(secret), 'hex');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return { id: found._id, launch: found.launch, createdAt: found.createdAt, expiresAt: found.expiresAt };
    },
  };
}
