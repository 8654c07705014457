import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import { connectRedis } from '../queue/redis-connection';
import { acquireEmbeddedDatabase, type EmbeddedOwnerKind } from '../storage/embedded-database';
import { createModels, type Models } from '../storage/models';
import { connectMongo } from '../storage/mongo-connection';

export interface Infrastructure {
  mongo: Connection;
  models: Models;
  redis: Redis;
  /** `embedded` when MONGODB_URI is unset and FerretDB runs locally. */
  databaseMode: 'external' | 'embedded';
  mongoUri: string;
  close(): Promise<void>;
}

export interface OpenInfrastructureOptions {
  config: Config;
  logger: Logger;
  ownerKind: EmbeddedOwnerKind;
  /** Where build progress of the embedded database goes (stderr for humans). */
  onProgress: (line: string) => void;
}

/**
 * Connects Redis first (fast to fail), then MongoDB: MONGODB_URI when set, else the embedded
 * FerretDB (built once, shared with a running Vestnik on the same data folder).
 */
export async function openInfrastructure(options: OpenInfrastructureOptions): Promise<Infrastructure> {
  const { config, logger } = options;
  const redis = await connectRedis(config.REDIS_URL, logger.child({ module: 'vestnik:redis' }));
  const embedded = config.MONGODB_URI
    ? null
    : await acquireEmbeddedDatabase({
        dataDir: config.DATA_DIR,
        toolsDir: config.TOOLS_DIR,
        ferretDbBin: config.FERRETDB_BIN,
        ownerKind: options.ownerKind,
        onProgress: options.onProgress,
      }).catch(async (error: unknown) => {
        redis.disconnect();
        throw error;
      });
  const mongoUri = config.MONGODB_URI ?? embedded?.uri ?? '';
  let mongo: Connection | undefined;
  let models: Models;
  try {
    mongo = await connectMongo({ uri: mongoUri, dbName: config.MONGODB_DB });
    models = await createModels(mongo);
  } catch (error) {
    await mongo?.close().catch(() => {});
    redis.disconnect();
    await embedded?.release();
    throw error;
  }
  const connection = mongo;
  return {
    mongo: connection,
    models,
    redis,
    databaseMode: embedded ? 'embedded' : 'external',
    mongoUri,
    async close() {
      await connection.close();
      await redis.quit().catch(() => redis.disconnect());
      await embedded?.release();
    },
  };
}
