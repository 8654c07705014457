import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/env-schema';
import type { AnyRoute } from '../../src/http/route-definition';
import type { Logger } from '../../src/logging/logger';
import { createKeyedLock } from '../../src/storage/keyed-lock';
import type { Models } from '../../src/storage/models';
import { botFlowReadRoutes } from './bot-flow-routes';
import { createBotFlowStore } from './bot-flow-store';
import { botFlowWriteRoutes } from './bot-flow-write-routes';
import { type BotTurnEntry, recordBotTurn } from './bot-turn-log';
import { createCompiledFlowCache } from './compiled-flow-cache';
import { createFlowChangeBus } from './flow-change-bus';
import { createFlowFolder, type FlowFolder, flowFolderPath } from './flow-folder';
import { createFlowRegistry, type LiveFlowRegistry } from './flow-registry';

export interface BotFlowsLayerDeps {
  models: Models;
  redis: Redis;
  config: Pick<
    Config,
    'QUEUE_PREFIX' | 'BOT_FLOWS_REFRESH_MS' | 'BOT_FLOWS_DIR' | 'MONGODB_URI' | 'DATA_DIR'
  >;
  logger: Logger;
}

/**
 * Bot flows in production and locally: `/v1/bot-flows` (versioned uploads, rollback, the report),
 * the local folder with hot reload (BOT_FLOWS_DIR; DATA_DIR/bot-flows in local mode) and the
 * registry the bot runner asks which flow serves a turn.
 */
export interface BotFlowsLayer {
  registry: LiveFlowRegistry;
  /** HTTP routes under /v1. */
  routes: AnyRoute[];
  /** The local folder, when there is one (`seedDemoFlows(folder.dir)` fills its demo/ subfolder). */
  folder: FlowFolder | null;
  /** Keeps one turn for the report (for the bot runner). */
  recordTurn(turn: BotTurnEntry): Promise<void>;
  /** Loads and watches the folder, subscribes to flow changes of other processes. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createBotFlowsLayer(deps: BotFlowsLayerDeps): BotFlowsLayer {
  const { models, config } = deps;
  const { logger } = deps;
  const dir = flowFolderPath(config);
  const folder = dir ? createFlowFolder({ dir, logger }) : null;
  const bus = createFlowChangeBus(deps.redis, config.QUEUE_PREFIX);
  const compiled = createCompiledFlowCache(logger);
  const registry = createFlowRegistry({ models, config, logger, folder, bus, compiled });
  const store = createBotFlowStore({
    models,
    lock: createKeyedLock(deps.redis, `${config.QUEUE_PREFIX}:bot-flow-lock`),
    compiled,
    async onChange(workspaceId) {
      registry.invalidate(workspaceId);
      await bus.publish(workspaceId);
    },
  });
  return {
    registry,
    folder,
    routes: [
      ...botFlowReadRoutes({ models, store, registry, compiled }),
      ...botFlowWriteRoutes({ models, store }),
    ],
    recordTurn: (turn) => recordBotTurn({ models }, turn),
    async start() {
      await registry.start();
      await folder?.start();
    },
    async stop() {
      await folder?.close();
      await registry.close();
    },
  };
}
