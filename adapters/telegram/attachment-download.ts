import type { DownloadResult } from '../contract';
import { downloadLimited } from '../shared/platform-http';
import type { BotApiClient } from './bot-api-client';
import { botApiErrorOf, describeBotApiError } from './error-mapping';

/** getFile refuses files over 20 MB: "file is too big" (https://core.telegram.org/bots/api#getfile). */
const getFileRefusals: ReadonlyArray<{ description: RegExp; reason: 'too-large' | 'not-found' }> = [
  { description: /file is too big/i, reason: 'too-large' },
  {
    description: /invalid file_id|wrong file_id|file not found|temporarily unavailable/i,
    reason: 'not-found',
  },
];

type Located =
  | { ok: true; url: string; size?: number; fileName: string }
  | Extract<DownloadResult, { ok: false }>;

async function locate(api: BotApiClient, fileId: string): Promise<Located> {
  try {
    const file = await api.call('getFile', { file_id: fileId });
    if (!file.file_path) return { ok: false, reason: 'not-found', detail: 'Telegram gave no file_path' };
    const fileName = file.file_path.split('/').at(-1) ?? file.file_path;
    return {
      ok: true,
      url: await api.fileUrl(file.file_path),
      fileName,
      ...(file.file_size === undefined ? {} : { size: file.file_size }),
    };
  } catch (error) {
    const apiError = botApiErrorOf(error);
    const refusal = apiError && getFileRefusals.find((rule) => rule.description.test(apiError.description));
    if (refusal) return { ok: false, reason: refusal.reason, detail: apiError.description };
    return { ok: false, reason: 'failed', detail: describeBotApiError(error) };
  }
}

/**
 * getFile, then a download from `<apiRoot>/file/bot<token>/<file_path>` (valid for at least an
 * hour), refusing more than `maxBytes` before and while reading.
 */
export async function downloadAttachment(
  api: BotApiClient,
  fileId: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<DownloadResult> {
  const located = await locate(api, fileId);
  if (!located.ok) return located;
  if (located.size !== undefined && located.size > maxBytes)
    return {
      ok: false,
      reason: 'too-large',
      detail: `file is ${located.size} bytes; the limit is ${maxBytes}`,
    };
  const downloaded = await downloadLimited(located.url, { maxBytes, timeoutMs });
  if (!downloaded.ok) return downloaded;
  return { ok: true, file: { ...downloaded.file, fileName: located.fileName } };
}
