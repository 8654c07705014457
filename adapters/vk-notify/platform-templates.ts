import {
  describeSendFailure,
  type PlatformTemplate,
  type PlatformTemplateStatus,
  type PlatformTemplates,
} from '../contract';
import type { PlatformCall } from '../shared/platform-http';
import { gatewayError } from './error-mapping';
import type { NotifyGatewayClient } from './gateway-client';
import { templateBody } from './wire-format';

/** A template status lookup failed for a reason other than "no such template". */
export class NotifyTemplateError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotifyTemplateError';
  }
}

/** Gateway moderation states → ours. */
const statusTable: Readonly<Record<string, PlatformTemplateStatus>> = {
  moderation: 'pending',
  approved: 'approved',
  rejected: 'rejected',
};

const failureDetail = (call: PlatformCall): string => {
  if (!call.ok) return describeSendFailure(call.failure);
  const error = gatewayError(call.response);
  return error ? `${error.code}: ${error.message}` : `gateway answered HTTP ${call.response.status}`;
};

/**
 * Template moderation through the gateway: `submit` posts `{name, text}` (moderation then takes a
 * while), `status` reads it back. Not promised: buttons (PlatformTemplate has none; submit them
 * through the gateway API directly), notification of the verdict (poll `status`).
 */
export function createNotifyTemplates(client: NotifyGatewayClient): PlatformTemplates {
  return {
    async submit(template: PlatformTemplate) {
      const call = await client.submitTemplate({ name: template.name, text: template.text });
      const parsed = call.ok ? templateBody.safeParse(call.response.body) : null;
      if (call.ok && call.response.status < 300 && parsed?.success) {
        return { ok: true, status: statusTable[parsed.data.status] ?? 'pending' };
      }
      return { ok: false, detail: failureDetail(call) };
    },
    async status(name: string) {
      const call = await client.template(name);
      if (call.ok && call.response.status === 404) return null;
      const parsed = call.ok ? templateBody.safeParse(call.response.body) : null;
      if (!call.ok || call.response.status >= 300 || !parsed?.success) {
        throw new NotifyTemplateError('template-status-failed', `template ${name}: ${failureDetail(call)}`);
      }
      const status = statusTable[parsed.data.status] ?? 'pending';
      const reason = parsed.data.comment ?? parsed.data.reason;
      return reason ? { status, reason } : { status };
    },
  };
}
