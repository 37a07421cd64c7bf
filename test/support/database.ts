import { randomBytes } from 'node:crypto';
import { databaseNameOf } from '../../src/shared/infrastructure/database/database.js';

/**
 * Where the database-backed test levels find their server: the embedded engine started by
 * test/support/global-engine.ts, or the MongoDB named by MONGODB_URI.
 */
let baseUri: string | undefined;

export function setTestDatabaseBaseUri(uri: string | undefined) {
  baseUri = uri;
}

/** The server part of a MongoDB URI: everything but its database path and query. */
export function serverPartOf(uri: string): string {
  const database = databaseNameOf(uri);
  const withoutQuery = uri.split('?')[0] ?? uri;
  return database
    ? withoutQuery.slice(0, withoutQuery.length - database.length - 1)
    : withoutQuery.replace(/\/$/, '');
}

/** A fresh database for one test file, so that every file can run alone and in any order. */
export function freshDatabaseUri(label: string): string {
  if (!baseUri) {
    throw new Error(
      'No test database: run this file through `npm test` (or tools/run-tests.ts), not as a unit test.',
    );
  }
  const safe = label.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 30);
  return `${baseUri}/t-${safe}-${randomBytes(4).toString('hex')}`;
}
