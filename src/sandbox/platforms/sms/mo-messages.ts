import { type SandboxContext, SandboxInputError, type UserMessageInput } from '../../sandbox-platform';
import type { VirtualUser } from '../../virtual-users';
import type { SmscAccount, SmscAccounts } from './accounts';
import { moParts } from './sms-text';
import type { SmscServer } from './smsc-server';

/**
 * A virtual user texts a business: the SMSC sends the message as MO deliver_sm (esm_class 0, from
 * the user's number, TON 1 / NPI 1, to the account's number), split into concatenated parts with a
 * UDH like a handset does. Queued until the account has a receiver bind. SMS has no attachments.
 */
export function sendMoMessage(
  context: SandboxContext,
  accounts: SmscAccounts,
  smsc: SmscServer,
  user: VirtualUser,
  input: UserMessageInput,
): { messageId: string } {
  if (input.attachment) throw new SandboxInputError('SMS carries text only: no attachments', 422);
  if (input.replyTo) throw new SandboxInputError('SMS has no replies to a given message', 422);
  const account = targetAccount(accounts, smsc, input.to);
  const reference = context.random.int(0, 255);
  for (const part of moParts(input.text, reference)) {
    smsc.queue.deliver(account.systemId, {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: user.phone.slice(1),
      dest_addr_ton: 0,
      dest_addr_npi: 1,
      destination_addr: account.moNumber,
      ...part,
    });
  }
  return { messageId: context.random.hex(10) };
}

/** `to` names the account (system_id); without it, the only account, or the only one bound. */
function targetAccount(accounts: SmscAccounts, smsc: SmscServer, to: string | undefined): SmscAccount {
  if (to) {
    const named = accounts.get(to);
    if (!named) throw new SandboxInputError(`no SMPP account ${to}`, 404);
    return named;
  }
  const all = accounts.all();
  const bound = all.filter((account) => smsc.sessions.receiverFor(account.systemId));
  const [only] = all.length === 1 ? all : bound;
  if (!only || (all.length > 1 && bound.length !== 1))
    throw new SandboxInputError('several SMPP accounts: name one in "to" (its systemId)', 422);
  return only;
}
