import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../sandbox-platform';
import { GatewayError, sendGatewayError } from './gateway-errors';
import type {
  NotificationRecord,
  NotifyAccount,
  NotifyAccountStore,
  TemplateRecord,
} from './notify-accounts';
import type { NotifyDelivery } from './notify-delivery';
import {
  approvedTemplate,
  authenticate,
  canonicalJson,
  parseBody,
  renderNotification,
  takeRateLimit,
} from './notify-requests';
import { moderate } from './template-moderation';
import { type NotifyRequest, notifyRequest, type TemplateRequest, templateRequest } from './wire-schemas';

/** How long the simulated moderator takes to decide on a submitted template. */
export const moderationDelayMs = 200;

type Handler = (req: Request, res: Response) => void;

const handle =
  (handler: Handler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    try {
      handler(req, res);
    } catch (error) {
      if (error instanceof GatewayError) sendGatewayError(res, error);
      else next(error);
    }
  };

interface RouteDeps {
  context: SandboxContext;
  accounts: NotifyAccountStore;
  delivery: NotifyDelivery;
}

/** The gateway API under `/notify`: send, notification status, template submission and status. */
export function createNotifyRouter(deps: RouteDeps): Router {
  const router = express.Router();
  router.post(
    '/v1/notify',
    handle((req, res) => sendNotification(deps, req, res)),
  );
  router.get(
    '/v1/notify/:id',
    handle((req, res) => {
      const account = authenticate(req, deps.accounts);
      const record = account.notifications.get(String(req.params.id));
      if (!record) throw new GatewayError('message_not_found', `no notification ${String(req.params.id)}`);
      res.json(notificationJson(record));
    }),
  );
  router.post(
    '/v1/message_template',
    handle((req, res) => submitTemplate(deps, req, res)),
  );
  router.get(
    '/v1/message_template/:name',
    handle((req, res) => {
      const account = authenticate(req, deps.accounts);
      const template = account.templates.get(String(req.params.name));
      if (!template)
        throw new GatewayError('template_not_found', `no template named ${String(req.params.name)}`);
      res.json(templateJson(template));
    }),
  );
  router.use((_req: Request, res: Response) => {
    sendGatewayError(res, new GatewayError('not_found', 'no such endpoint'));
  });
  return router;
}

function sendNotification(deps: RouteDeps, req: Request, res: Response): void {
  const account = authenticate(req, deps.accounts);
  takeRateLimit(account, deps.context.clock);
  const request = parseBody(notifyRequest, req.body);
  const fingerprint = canonicalJson(request);
  const earlier = request.message_id ? account.byClientId.get(request.message_id) : undefined;
  if (earlier) {
    if (earlier.fingerprint !== fingerprint) {
      throw new GatewayError(
        'idempotency_conflict',
        `message_id ${request.message_id} was used for another notification`,
      );
    }
    return void res.json(acceptedJson(earlier));
  }
  const template = approvedTemplate(account, request.template);
  const record = newRecord(
    deps,
    request,
    template,
    renderNotification(template, request.params),
    fingerprint,
  );
  deps.accounts.addNotification(account, record);
  deps.delivery.admit(account, record);
  res.json(acceptedJson(record));
  deps.delivery.start(account, record);
}

function newRecord(
  deps: RouteDeps,
  request: NotifyRequest,
  template: TemplateRecord,
  text: string,
  fingerprint: string,
): NotificationRecord {
  const now = deps.context.clock.nowMs();
  return {
    id: deps.accounts.newNotificationId(),
    ...(request.message_id ? { clientMessageId: request.message_id } : {}),
    fingerprint,
    route: request.route,
    phone: request.phone,
    policy: request.policy,
    template: template.name,
    params: request.params,
    text,
    buttons: template.buttons,
    ...(request.callback_url ? { callbackUrl: request.callback_url } : {}),
    acceptedAtMs: now,
    expiresAtMs: now + request.ttl * 1000,
    state: 'sent',
    handedOver: false,
    callbacks: Promise.resolve(),
  };
}

function submitTemplate(deps: RouteDeps, req: Request, res: Response): void {
  const account = authenticate(req, deps.accounts);
  const request = parseBody(templateRequest, req.body);
  const existing = account.templates.get(request.name);
  if (existing && existing.status !== 'rejected') {
    throw new GatewayError('template_exists', `template ${request.name} is already ${existing.status}`);
  }
  const record = templateRecord(request, deps.context.clock.now().toISOString());
  account.templates.set(record.name, record);
  deps.context.later(moderationDelayMs, async () => decideModeration(account, record));
  res.status(202).json(templateJson(record));
}

/** A template record awaiting moderation. */
export function templateRecord(request: TemplateRequest, submittedAt: string): TemplateRecord {
  return {
    name: request.name,
    text: request.text,
    buttons: request.buttons,
    status: 'moderation',
    submittedAt,
  };
}

/** Applies the moderation rules: approved, or rejected with the reason and the moderator's comment. */
export function decideModeration(account: NotifyAccount, record: TemplateRecord): void {
  if (account.templates.get(record.name) !== record) return;
  const verdict = moderate(record);
  if (!verdict) {
    record.status = 'approved';
    return;
  }
  record.status = 'rejected';
  record.reason = verdict.reason;
  record.comment = verdict.comment;
}

const acceptedJson = (record: NotificationRecord) => ({
  id: record.id,
  ...(record.clientMessageId ? { message_id: record.clientMessageId } : {}),
});

const notificationJson = (record: NotificationRecord) => ({
  ...acceptedJson(record),
  route: record.route,
  status: record.state,
  ...(record.reason ? { reason: record.reason } : {}),
});

const templateJson = (template: TemplateRecord) => ({
  name: template.name,
  text: template.text,
  buttons: template.buttons,
  status: template.status,
  ...(template.reason ? { reason: template.reason, comment: template.comment } : {}),
});
