import type { SandboxPlatformFactory } from '../sandbox-platform';
import type { SimulatorName } from '../simulators';

/** Scaffolding while a simulator is being written; removed once every simulator exists. */
export function pendingSimulator(name: SimulatorName): SandboxPlatformFactory {
  return () => ({
    name,
    mountPath: null,
    createAccount: async () => {
      throw new Error(`simulator ${name} is not built yet`);
    },
    info: () => ({ pending: true }),
  });
}
