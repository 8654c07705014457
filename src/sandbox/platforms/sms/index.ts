import type { SandboxContext, SandboxPlatform, SandboxPlatformFactory } from '../../sandbox-platform';
import { SmscAccounts } from './accounts';
import { sendMoMessage } from './mo-messages';
import { SmscServer } from './smsc-server';

/**
 * The SMS simulator: an SMPP 3.4 SMSC on `context.host:context.ports.smpp` (no HTTP API). Accounts
 * are ESME logins; what users receive is listed under platform `sms` with the part count and
 * coding (`parts`, `dataCoding`); users' texts arrive as MO deliver_sm on the account's bind.
 */
export const smsSimulator: SandboxPlatformFactory = (context: SandboxContext): SandboxPlatform => {
  const accounts = new SmscAccounts(context.random);
  const smsc = new SmscServer(context, accounts);
  return {
    name: 'sms',
    mountPath: null,
    createAccount: async (body) => {
      const account = accounts.create(body);
      return { ...account, ...smsc.info() };
    },
    userMessage: async (user, input) => sendMoMessage(context, accounts, smsc, user, input),
    start: () => smsc.start(),
    stop: () => smsc.stop(),
    info: () => smsc.info(),
  };
};
