import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import { PortInUseError } from '../runtime/http-server';
import { allSimulators } from './platforms';
import { createSandbox, type Sandbox } from './sandbox-server';

export type RunningSandbox = Sandbox;

/**
 * Starts every simulator on the configured host and ports (the demo and `vestnik sandbox`). The
 * sandbox forgets everything when it stops while the database remembers, so `boot` (the how-many-th
 * start) is mixed into the seed: the same seed and boot give the same ids, and a restart never
 * replays ids (event ids, message ids) that Vestnik already stored.
 */
export async function startSandbox(
  config: Config,
  logger: Logger,
  boot = 1,
): Promise<RunningSandbox & { boot: number }> {
  const sandbox = await createSandbox({
    host: config.HOST,
    port: config.SANDBOX_PORT,
    smppPort: config.SANDBOX_SMPP_PORT,
    smtpPort: config.SANDBOX_SMTP_PORT,
    seed: boot === 1 ? config.SANDBOX_SEED : `${config.SANDBOX_SEED}#${boot}`,
    logger: logger.child({ module: 'vestnik:sandbox' }),
    platforms: allSimulators,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    const ports = `SANDBOX_PORT ${config.SANDBOX_PORT}, SANDBOX_SMPP_PORT ${config.SANDBOX_SMPP_PORT}, SANDBOX_SMTP_PORT ${config.SANDBOX_SMTP_PORT}`;
    throw new PortInUseError(
      `A sandbox port on ${config.HOST} is already in use (${ports}): stop the other process, set other ports, or SANDBOX=off.`,
    );
  });
  return Object.assign(sandbox, { boot });
}

/** `host:port` of a socket simulator (the SMSC or the SMTP server) of a running sandbox. */
export function socketAddress(sandbox: RunningSandbox, name: 'sms' | 'email'): string {
  const info = sandbox.platforms.get(name)?.info() as { host?: string; port?: number } | undefined;
  return `${info?.host ?? sandbox.context.host}:${info?.port ?? 0}`;
}
