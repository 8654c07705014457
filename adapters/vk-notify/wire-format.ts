import { z } from 'zod';
import type { DeliveryPolicy } from './config-schema';

/** The gateway's routes: which network delivers the notification. */
export type NotifyRoute = 'vk' | 'ok';

/** Header with the lower-case hex HMAC-SHA256 of the raw callback body. */
export const signatureHeader = 'x-signature';

/** `POST {apiBaseUrl}/v1/notify` body. */
export interface NotifyRequestBody {
  phone: string;
  route: NotifyRoute;
  template: string;
  params: Record<string, string>;
  policy: DeliveryPolicy;
  ttl: number;
  callback_url: string;
  message_id: string;
}

/** `200` answer to a notify request (also to its idempotent repetition). */
export const acceptedBody = z.object({ id: z.string().min(1), message_id: z.string().optional() });

/** Every gateway error: `{"error": {"code", "message"}}`. */
export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string().default('') }) });

/** `GET {apiBaseUrl}/v1/message_template/{name}` answer (and the `202` of a submission). */
export const templateBody = z.object({
  name: z.string(),
  status: z.enum(['moderation', 'approved', 'rejected']),
  reason: z.string().optional(),
  comment: z.string().optional(),
});

/** The status callback body, `POST callback_url`. */
export const statusCallbackBody = z.object({
  id: z.string().min(1),
  message_id: z.string().optional(),
  status: z.string().min(1),
  route: z.enum(['vk', 'ok']).optional(),
  reason: z.string().optional(),
  timestamp: z.iso.datetime({ offset: true }),
});
export type StatusCallbackBody = z.output<typeof statusCallbackBody>;
