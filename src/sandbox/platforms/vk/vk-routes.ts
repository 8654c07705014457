import express, { type Request, type Response, type Router } from 'express';
import type { Community } from './vk-communities';
import { sendVkError, VkApiError } from './vk-errors';
import { groupMethods } from './vk-group-methods';
import { messageMethods } from './vk-message-methods';
import type { MethodHandler, VkMethodDeps } from './vk-params';

/** Requests per second VK allows a community token (dev.vk.com/ru/api/api-requests). */
export const requestsPerSecond = 20;

/** Query and form fields merged, as api.vk.com reads them (strings only). */
function paramsOf(req: Request): Record<string, string> {
  const merged: Record<string, string> = {};
  const body: unknown = req.body;
  const sources = [req.query, body && typeof body === 'object' && !Buffer.isBuffer(body) ? body : {}];
  for (const source of sources) {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === 'string') merged[key] = value;
    }
  }
  return merged;
}

function throttle(community: Community, nowMs: number): void {
  community.recentCalls = community.recentCalls.filter((at) => nowMs - at < 1_000);
  if (community.recentCalls.length >= requestsPerSecond) throw new VkApiError(6);
  community.recentCalls.push(nowMs);
}

/**
 * `/vk/method/<name>` like api.vk.com: GET query or form-encoded POST, `access_token` and `v`
 * required, answers `{response}` or `{error: {error_code, error_msg, request_params}}` with HTTP 200.
 */
export function createVkRouter(deps: VkMethodDeps): Router {
  const methods = new Map<string, MethodHandler>(
    Object.entries({ ...messageMethods(deps), ...groupMethods(deps) }),
  );
  const router = express.Router();
  router.all('/method/:method', async (req: Request, res: Response) => {
    const method = String(req.params.method);
    const params = paramsOf(req);
    try {
      const token = params.access_token;
      if (!token) throw new VkApiError(5, 'no access_token passed.');
      const community = deps.communities.byToken(token);
      if (!community) throw new VkApiError(5, 'invalid access_token (4).');
      if (!params.v) throw new VkApiError(8, 'v (version) is required');
      throttle(community, Date.now());
      const handler = methods.get(method);
      if (!handler) throw new VkApiError(3);
      res.json({ response: await handler({ community, params }) });
    } catch (error) {
      if (!(error instanceof VkApiError)) throw error;
      sendVkError(res, error, method, params);
    }
  });
  return router;
}
