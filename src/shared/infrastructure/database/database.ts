import mongoose, { type Connection } from 'mongoose';

export type { Connection };

export const DEFAULT_DATABASE_NAME = 'pix-lti';

/** The database named in a MongoDB URI's path, if any (works for multi-host and +srv URIs). */
export function databaseNameOf(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name === '' ? undefined : name;
}

/** Opens the application's own mongoose connection (ltijs keeps its own, on its nested mongoose 7). */
export async function connectDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName: databaseNameOf(uri) ?? DEFAULT_DATABASE_NAME,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    // Indexes are created explicitly (and their failures surfaced), never silently by mongoose.
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  return connection;
}

/** Resolves when the database answers `ping`; rejects otherwise (used by /readyz). */
export async function pingDatabase(connection: Connection, timeoutMs = 2000): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) {
    throw new Error('database connection is not open');
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.admin().command({ ping: 1 }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`ping timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The connection's model of that name, created from `schema` the first time (repositories call this). */
export function modelOn<T>(
  connection: Connection,
  name: string,
  schema: mongoose.Schema<T>,
): mongoose.Model<T> {
  return (connection.models[name] as mongoose.Model<T> | undefined) ?? connection.model<T>(name, schema);
}
