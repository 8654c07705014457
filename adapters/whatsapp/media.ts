import type { DownloadResult, OutboundImage, SendFailure } from '../contract';
import { downloadLimited } from '../shared/platform-http';
import type { GraphClient } from './graph-client';

/**
 * Uploads an image (`POST /{phone-number-id}/media`, multipart `file`, `type`,
 * `messaging_product`), so the message can reference it by id instead of a public link.
 */
export async function uploadImage(
  graph: GraphClient,
  phoneNumberId: string,
  image: OutboundImage,
): Promise<{ ok: true; id: string } | { ok: false; failure: SendFailure }> {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', image.mimeType);
  form.append('file', new Blob([new Uint8Array(image.data)], { type: image.mimeType }), image.fileName);
  const call = await graph.request('POST', `${phoneNumberId}/media`, form);
  if (!call.ok) return { ok: false, failure: call.failure };
  const id = (call.body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id.length === 0) {
    return { ok: false, failure: { kind: 'retryable', reason: 'media upload answered without an id' } };
  }
  return { ok: true, id };
}

interface MediaInfo {
  url?: unknown;
  mime_type?: unknown;
  file_size?: unknown;
}

/**
 * Downloads a user's file: `GET /{media-id}` gives a short-lived URL (5 minutes) that itself needs
 * the bearer token; the declared `file_size` is checked before downloading, and the download is
 * cut at `maxBytes`.
 */
export async function downloadMedia(
  graph: GraphClient,
  mediaId: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<DownloadResult> {
  if (!/^\d{1,25}$/.test(mediaId))
    return { ok: false, reason: 'not-found', detail: 'not a WhatsApp media id' };
  const call = await graph.request('GET', mediaId);
  if (!call.ok) {
    const gone = call.graphError?.code === 100 || call.status === 404;
    return { ok: false, reason: gone ? 'not-found' : 'failed', detail: 'media lookup failed' };
  }
  const info = (call.body ?? {}) as MediaInfo;
  if (typeof info.url !== 'string')
    return { ok: false, reason: 'failed', detail: 'media lookup gave no URL' };
  if (Number(info.file_size ?? 0) > maxBytes) {
    return {
      ok: false,
      reason: 'too-large',
      detail: `file exceeds the attachment limit of ${maxBytes} bytes`,
    };
  }
  const download = await downloadLimited(info.url, { headers: graph.authorization, maxBytes, timeoutMs });
  if (!download.ok) return download;
  const mimeType = typeof info.mime_type === 'string' ? info.mime_type.split(';')[0]?.trim() : undefined;
  return { ok: true, file: { ...download.file, mimeType: mimeType || download.file.mimeType } };
}
