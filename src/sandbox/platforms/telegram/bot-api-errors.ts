/**
 * A Bot API failure: answered as `{ok:false, error_code, description, parameters?}` with HTTP status
 * `error_code`, the way api.telegram.org does. Descriptions are the API's own texts.
 */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

const badRequest = (detail: string): BotApiError => new BotApiError(400, `Bad Request: ${detail}`);

/** The errors the simulator raises, named for what happened. */
export const botApiErrors = {
  unauthorized: () => new BotApiError(401, 'Unauthorized'),
  notFound: () => new BotApiError(404, 'Not Found'),
  tooManyRequests: (retryAfterSeconds: number) =>
    new BotApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
      retry_after: retryAfterSeconds,
    }),
  cantInitiate: () => new BotApiError(403, "Forbidden: bot can't initiate conversation with a user"),
  blocked: () => new BotApiError(403, 'Forbidden: bot was blocked by the user'),
  chatIdEmpty: () => badRequest('chat_id is empty'),
  chatNotFound: () => badRequest('chat not found'),
  textEmpty: () => badRequest('message text is empty'),
  textTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  buttonDataInvalid: () => badRequest('BUTTON_DATA_INVALID'),
  buttonUrlInvalid: () => badRequest('BUTTON_URL_INVALID'),
  markupUnparsable: () => badRequest("can't parse reply keyboard markup JSON object"),
  markupTooLong: () => badRequest('reply markup is too long'),
  replyNotFound: () => badRequest('message to be replied not found'),
  deleteNotFound: () => badRequest('message to delete not found'),
  cantDelete: () => badRequest("message can't be deleted for everyone"),
  queryInvalid: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
  fileIdInvalid: () => badRequest('invalid file_id'),
  fileTooBig: () => badRequest('file is too big'),
  noPhoto: () => badRequest('there is no photo in the request'),
  wrongFileReference: () => badRequest('wrong file identifier/HTTP URL specified'),
  imageProcessFailed: () => badRequest('IMAGE_PROCESS_FAILED'),
  webhookNeedsUrl: () => badRequest('bad webhook: An HTTPS URL must be provided for webhook'),
  secretTokenInvalid: () => badRequest('bad webhook: secret token contains unallowed characters'),
  parameterInvalid: (name: string) => badRequest(`invalid ${name} specified`),
  jsonUnparsable: (name: string) => badRequest(`can't parse ${name} JSON object`),
} as const;
