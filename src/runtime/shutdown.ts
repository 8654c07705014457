import type { Logger } from '../logging/logger';

/**
 * On the first SIGTERM/SIGINT runs `stop` and exits 0; a second signal, a failing stop or a stop
 * that outlives `hardLimitMs` exits 1 (so an orchestrator never waits forever).
 */
export function exitCleanlyOnSignals(stop: () => Promise<void>, logger: Logger, hardLimitMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const started = Date.now();
    const hardLimit = setTimeout(() => {
      logger.error({ ms: hardLimitMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, hardLimitMs);
    hardLimit.unref();
    stop().then(
      () => {
        logger.info({ ms: Date.now() - started }, 'stopped cleanly');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
