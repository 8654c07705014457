import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { listenPublic, type PublicServer } from '../helpers/public-server';
import { bearer, startWebhookTestBed, type Tenant, type WebhookTestBed } from '../helpers/webhook-fixture';

/**
 * `message.inbound`: a sandbox Telegram user writes to a connected bot; the platform webhook goes
 * through the ingress and the channel event worker, which publishes the message to the business.
 */
let server: PublicServer;
let bed: WebhookTestBed;
let sandbox: TestSandbox;
let owner: Tenant;

beforeAll(async () => {
  server = await listenPublic();
  const publicUrl = server.url;
  bed = await startWebhookTestBed('webhooksinbound', { PUBLIC_URL: publicUrl });
  server.server.on('request', bed.stack.app);
  sandbox = await startTestSandbox('webhooks-inbound');
  owner = await bed.fx.tenant('Inbound');
});
afterAll(async () => {
  await server.close();
  await sandbox.close();
  await bed.close();
});

it('publishes a customer message to the endpoints subscribed to message.inbound', async () => {
  const { secret } = await bed.fx.endpoint(owner, '/inbound', ['message.inbound']);
  const { token } = await sandbox.control.createAccount<{ token: string }>('telegram');
  const channel = await request(bed.stack.app)
    .post('/v1/channels')
    .set(bearer(owner.key))
    .send({
      type: 'telegram',
      name: 'Shop bot',
      config: { botToken: token, apiRoot: `${sandbox.sandbox.url}/telegram` },
    })
    .expect(201);
  const user = await sandbox.control.createUser({ phone: '+79161234567', name: 'Анна' });
  await sandbox.control.userMessage(user.id, { platform: 'telegram', text: 'Где мой заказ?' });
  const [delivered] = await bed.fx.received('/inbound', 1);
  const body = new Webhook(secret).verify(delivered?.rawBody ?? '', delivered?.headers ?? {});
  expect(body).toMatchObject({
    type: 'message.inbound',
    data: {
      channelId: channel.body.id,
      channelType: 'telegram',
      text: 'Где мой заказ?',
      from: { externalUserId: expect.any(String) },
      attachments: [],
    },
  });
  const stored = await bed.stack.models.ChannelEvent.findOne({ channelId: channel.body.id }).lean().exec();
  expect(delivered?.headers['webhook-id']).toBe(`msg_${String(stored?._id)}`);
});
