import { type Connection, Mongoose } from 'mongoose';

export interface MongoOptions {
  uri: string;
  dbName: string;
  serverSelectionTimeoutMs?: number;
}

/** A typed failure to reach MongoDB, phrased for one log line (no credentials). */
export class MongoUnreachableError extends Error {
  override readonly name = 'MongoUnreachableError';
}

/**
 * Opens a mongoose connection with `sanitizeFilter` and `strictQuery` on, on its own Mongoose
 * instance (no global state), and fails fast with one clear line when the server is unreachable.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const mongoose = new Mongoose();
  mongoose.set('sanitizeFilter', true);
  mongoose.set('strictQuery', true);
  mongoose.set('autoIndex', true);
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    appName: 'vestnik',
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => {});
    throw new MongoUnreachableError(
      `Cannot connect to MongoDB at ${describeMongoUri(options.uri)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return connection;
}

/** host:port list of a connection string, without user, password or options. */
export function describeMongoUri(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  return match?.[1] ?? 'the configured MONGODB_URI';
}

export async function pingMongo(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('not connected');
  await db.admin().command({ ping: 1 });
}
