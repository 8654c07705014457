import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../sandbox-platform';
import type { WhatsappAccount, WhatsappAccounts } from './accounts';
import { type GraphErrorSpec, graphErrors, sendGraphError } from './graph-errors';
import { parseMultipart, uploadLimits, type WhatsappMediaStore } from './media';
import type { WhatsappOutbound } from './outbound';
import { templateJson, type WhatsappTemplateStore } from './templates';
import type { WhatsappWebhooks } from './webhooks';

export interface RouteDependencies {
  context: SandboxContext;
  accounts: WhatsappAccounts;
  media: WhatsappMediaStore;
  templates: WhatsappTemplateStore;
  outbound: WhatsappOutbound;
  webhooks: WhatsappWebhooks;
}

type Locals = { account: WhatsappAccount };
type Handler = (req: Request, res: Response<unknown, Locals>) => Promise<void> | void;

const bearer = (req: Request): string => (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
const param = (req: Request, name: string): string => String(req.params[name] ?? '');

/**
 * The Graph API endpoints the Cloud API uses, under `/{version}/…`, each behind the bearer token:
 * messages, media upload and retrieval, message templates, WABA webhook subscriptions, and the
 * lookaside media download. Anything else answers Graph's "Unknown path components".
 */
export function createWhatsappRouter(deps: RouteDependencies): Router {
  const router = express.Router();
  const fail = (res: Response, spec: GraphErrorSpec): void => sendGraphError(res, deps.context.random, spec);
  const authenticated =
    (owns: (account: WhatsappAccount, id: string) => boolean, handler: Handler) =>
    async (req: Request, res: Response<unknown, Locals>, next: NextFunction): Promise<void> => {
      const account = deps.accounts.byToken(bearer(req));
      if (!account) return fail(res, graphErrors.invalidToken());
      if (!/^v\d+\.\d+$/.test(param(req, 'version'))) return fail(res, graphErrors.unknownPath(req.path));
      if (!owns(account, param(req, 'id')))
        return fail(res, graphErrors.unknownObject(req.method, param(req, 'id')));
      res.locals.account = account;
      await Promise.resolve(handler(req, res)).catch(next);
    };
  const phoneNumber = (account: WhatsappAccount, id: string): boolean => account.phoneNumberId === id;
  const waba = (account: WhatsappAccount, id: string): boolean => account.wabaId === id;
  const ownMedia = (account: WhatsappAccount, id: string): boolean =>
    deps.media.get(id)?.phoneNumberId === account.phoneNumberId;

  router.get('/whatsapp_business/attachments', (req, res) => download(deps, req, res, fail));
  router.post(
    '/:version/:id/messages',
    authenticated(phoneNumber, (req, res) => {
      const answer = deps.outbound.send(res.locals.account, req.body);
      if ('http' in answer) return fail(res, answer as GraphErrorSpec);
      res.json(answer);
    }),
  );
  router.post(
    '/:version/:id/media',
    authenticated(phoneNumber, (req, res) => upload(deps, req, res, fail)),
  );
  router.post(
    '/:version/:id/message_templates',
    authenticated(waba, (req, res) => {
      const created = deps.templates.create(res.locals.account, req.body);
      if ('http' in created) return fail(res, created);
      res.json({ id: created.id, status: created.status, category: created.category });
    }),
  );
  router.get(
    '/:version/:id/message_templates',
    authenticated(waba, (req, res) => {
      const name = typeof req.query.name === 'string' ? req.query.name : undefined;
      const data = deps.templates.list(res.locals.account.wabaId, name).map(templateJson);
      res.json({ data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } });
    }),
  );
  router.post(
    '/:version/:id/subscribed_apps',
    authenticated(waba, (req, res) => subscribe(deps, req, res, fail)),
  );
  router.get(
    '/:version/:id/subscribed_apps',
    authenticated(waba, (_req, res) => {
      const { callback } = res.locals.account;
      res.json({
        data: callback ? [{ whatsapp_business_api_data: appData, override_callback_uri: callback.url }] : [],
      });
    }),
  );
  router.get(
    '/:version/:id',
    authenticated(ownMedia, (req, res) => {
      const media = deps.media.get(param(req, 'id'));
      if (media) res.json(deps.media.describe(media));
    }),
  );
  router.use((req, res) => fail(res, graphErrors.unknownPath(req.path)));
  return router;
}

const appData = {
  id: '1234567890123456',
  name: 'Vestnik sandbox app',
  link: 'https://www.facebook.com/games/?app_id=1234567890123456',
};

type Fail = (res: Response, spec: GraphErrorSpec) => void;

/** `POST /{waba-id}/subscribed_apps`: with `override_callback_uri`, Meta verifies the URL first. */
async function subscribe(
  deps: RouteDependencies,
  req: Request,
  res: Response<unknown, Locals>,
  fail: Fail,
): Promise<void> {
  const body = (req.body ?? {}) as { override_callback_uri?: unknown; verify_token?: unknown };
  const account = res.locals.account;
  if (body.override_callback_uri === undefined) return void res.json({ success: true });
  const url = String(body.override_callback_uri);
  const token = typeof body.verify_token === 'string' ? body.verify_token : '';
  if (!URL.canParse(url) || url.length > 200)
    return fail(res, graphErrors.invalidParameter('Invalid callback URI format'));
  if (!token) return fail(res, graphErrors.missingParameter('verify_token'));
  const problem = await deps.webhooks.verifyCallback(url, token);
  if (problem) return fail(res, graphErrors.callbackUnverified(problem));
  account.callback = { url, verifyToken: token };
  res.json({ success: true });
}

/** `POST /{phone-number-id}/media` (multipart `file`, `type`, `messaging_product`). */
async function upload(
  deps: RouteDependencies,
  req: Request,
  res: Response<unknown, Locals>,
  fail: Fail,
): Promise<void> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data') || !Buffer.isBuffer(req.body)) {
    return fail(res, graphErrors.missingParameter('file'));
  }
  const form = await parseMultipart(contentType, req.body).catch(() => null);
  if (!form) return fail(res, graphErrors.mediaUpload('The multipart body could not be read'));
  if (form.fields.messaging_product !== 'whatsapp')
    return fail(res, graphErrors.missingParameter('messaging_product'));
  if (!form.file) return fail(res, graphErrors.missingParameter('file'));
  const mimeType = (form.fields.type ?? form.file.mimeType).split(';')[0]?.trim() ?? '';
  const limit = uploadLimits[mimeType];
  if (limit === undefined) {
    return fail(
      res,
      graphErrors.mediaUpload(
        `Param file must be a file with one of the following types: ${Object.keys(uploadLimits).join(', ')}. Received file of type '${mimeType}'.`,
      ),
    );
  }
  if (form.file.data.length > limit)
    return fail(res, graphErrors.mediaUpload(`File size exceeds the ${limit} bytes allowed for ${mimeType}`));
  const media = deps.media.put(res.locals.account, form.file.data, mimeType, form.file.fileName);
  res.json({ id: media.id });
}

/** The media URL from `GET /{media-id}`: needs the bearer token and an unexpired signature. */
function download(deps: RouteDependencies, req: Request, res: Response, fail: Fail): void {
  const account = deps.accounts.byToken(bearer(req));
  if (!account) return void fail(res, graphErrors.invalidToken());
  const query = (name: string): string | undefined =>
    typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
  const media = deps.media.get(query('mid') ?? '');
  if (!media || media.phoneNumberId !== account.phoneNumberId) return void res.status(404).send('Not Found');
  const opened = deps.context.files.open(media.fileId, query('ext'), query('hash'));
  if (opened === 'missing') return void res.status(404).send('Not Found');
  if (opened === 'expired' || opened === 'forbidden')
    return void res.status(403).send('URL signature expired');
  res.type(media.mimeType).set('content-length', String(opened.data.length)).send(opened.data);
}
