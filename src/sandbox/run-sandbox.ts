import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import { allSimulators } from './platforms';
import { createSandbox, type Sandbox } from './sandbox-server';

export type RunningSandbox = Sandbox;

/** Starts every simulator on the configured host and ports (the demo and `vestnik sandbox`). */
export function startSandbox(config: Config, logger: Logger): Promise<RunningSandbox> {
  return createSandbox({
    host: config.HOST,
    port: config.SANDBOX_PORT,
    smppPort: config.SANDBOX_SMPP_PORT,
    smtpPort: config.SANDBOX_SMTP_PORT,
    seed: config.SANDBOX_SEED,
    logger: logger.child({ module: 'vestnik:sandbox' }),
    platforms: allSimulators,
  });
}
