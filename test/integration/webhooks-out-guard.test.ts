import { lookup as dnsLookup } from 'node:dns/promises';
import request from 'supertest';
import type { LookupAll } from '../../src/webhooks-out/ssrf-guard';
import { eventually } from '../contract/helpers/sandbox-control';
import { bearer, setUpWebhookTestBed } from '../helpers/webhook-fixture';

/**
 * The SSRF guard with WEBHOOKS_ALLOW_PRIVATE=false (the production default): non-public targets are
 * refused at registration, and again at connect time after DNS resolution. The resolver serves a
 * small zone of `.test` names the test can change (a DNS rebinding) and asks the system resolver
 * for every other name.
 */
const zone = new Map<string, string>([
  ['rebind.test', '93.184.216.34'],
  ['loopback.test', '127.0.0.1'],
]);
const lookup: LookupAll = async (hostname, options) => {
  const address = zone.get(hostname);
  return address ? [{ address, family: 4 }] : dnsLookup(hostname, options);
};
const bed = setUpWebhookTestBed('webhooksguard', { WEBHOOKS_ALLOW_PRIVATE: 'false' }, { lookup });

describe('SSRF guard', () => {
  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://10.0.0.7/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://[::1]/hook', 'loopback'],
    ['https://localhost/hook', 'loopback name'],
    ['https://loopback.test/hook', 'loopback.test resolves to 127.0.0.1'],
    ['http://rebind.test/hook', 'must use https'],
  ])('refuses to register %s (%s)', async (url, why) => {
    const owner = await bed.fx.tenant('Refused');
    const res = await request(bed.stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url })
      .expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'webhook_endpoint.url_refused' });
    expect(res.body.detail).toContain(why);
    expect(await bed.stack.models.WebhookEndpoint.countDocuments({ workspaceId: owner.workspaceId })).toBe(0);
  });

  it('fails a delivery once, without retrying, when the host has come to resolve to loopback', async () => {
    const owner = await bed.fx.tenant('Rebind');
    const res = await request(bed.stack.app)
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.key))
      .send({ url: 'https://rebind.test/hook' })
      .expect(201);
    zone.set('rebind.test', '127.0.0.1');
    await bed.fx.publish(owner, 'template.moderated', 'tpl_rebind');
    const delivery = await bed.fx.settled(owner, res.body.id, 'tpl_rebind');
    expect(delivery).toMatchObject({ state: 'failed', attemptCount: 1, nextAttemptAt: null });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: null, error: 'refused-address', outcome: 'failed' }),
    ]);
    expect(delivery.attempts[0]?.errorDetail).toContain('rebind.test resolves to 127.0.0.1');
    const logged = bed.stack.logLines.find((line) => line.includes('webhook delivery failed for good'));
    expect(logged).toContain('refused-address');
  });

  it("refuses a notification's callbackUrl on a private address at connect time", async () => {
    const owner = await bed.fx.tenant('Callback');
    await bed.stack.events.publish(
      owner.workspaceId,
      'notification.status_changed',
      { status: 'sent' },
      {
        eventId: 'ntf_private.sent',
        callbackUrl: `${bed.receiver.url.replace('http:', 'https:')}/private-callback`,
      },
    );
    const delivery = await eventually(
      async () =>
        (await bed.stack.models.WebhookDelivery.findOne({ eventId: 'ntf_private.sent', state: 'failed' })
          .lean()
          .exec()) ?? undefined,
      'the callback delivery failed',
    );
    expect(delivery.lastError).toContain('127.0.0.1 is in the loopback range');
    expect(bed.receiver.requests('/private-callback')).toHaveLength(0);
  });
});
