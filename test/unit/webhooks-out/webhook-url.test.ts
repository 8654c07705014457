import { AppError } from '../../../src/errors/app-error';
import type { LookupAll } from '../../../src/webhooks-out/ssrf-guard';
import { assertWebhookUrl } from '../../../src/webhooks-out/webhook-url';

/** A zone of test names; anything else does not resolve (ENOTFOUND), as on an offline machine. */
const zone: Record<string, string> = { 'public.test': '93.184.216.34', 'loopback.test': '127.0.0.1' };
const lookup: LookupAll = async (hostname) => {
  const address = zone[hostname];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};
const guarded = { allowPrivate: false, lookup };

async function refusal(url: string, options = guarded): Promise<AppError> {
  const error = await assertWebhookUrl(url, options).catch((e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`${url} was accepted`);
  return error;
}

describe('assertWebhookUrl', () => {
  it('accepts a public https URL, and a name that does not resolve yet', async () => {
    expect((await assertWebhookUrl('https://public.test/hooks?x=1', guarded)).href).toBe(
      'https://public.test/hooks?x=1',
    );
    await expect(assertWebhookUrl('https://not-yet.test/', guarded)).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://10.1.2.3/', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://[::1]/', 'loopback'],
    ['https://localhost/', 'loopback name'],
    ['https://loopback.test/', 'resolves to 127.0.0.1'],
    ['http://public.test/', 'https'],
    ['https://user:pw@public.test/', 'credentials'],
  ])('refuses %s with a 422 that says why (%s)', async (url, why) => {
    const error = await refusal(url);
    expect(error).toMatchObject({ code: 'webhook_endpoint.url_refused', status: 422 });
    expect(error.detail).toContain(why);
  });

  it('allows loopback and http with allowPrivate, but never a metadata address', async () => {
    const open = { allowPrivate: true, lookup };
    await expect(assertWebhookUrl('http://127.0.0.1:8080/hook', open)).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrl('https://loopback.test/', open)).resolves.toBeInstanceOf(URL);
    expect((await refusal('http://169.254.169.254/', open)).detail).toContain('metadata');
  });
});
