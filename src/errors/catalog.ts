/**
 * Every error code Vestnik answers with. Codes are stable: clients may switch on them.
 * Each one is documented in docs/errors.md (a test fails when one is missing).
 */
export const errorCatalog = {
  'request.validation_failed': { status: 400, title: 'The request is not valid' },
  'request.malformed_json': { status: 400, title: 'The body is not valid JSON' },
  'request.body_too_large': { status: 413, title: 'The body is too large' },
  'request.unsupported_media_type': {
    status: 415,
    title: 'The body has a media type or encoding this route does not take',
  },
  'route.not_found': { status: 404, title: 'No such route' },
  'resource.not_found': { status: 404, title: 'No such resource' },
  'resource.conflict': { status: 409, title: 'It already exists' },
  'auth.credentials_missing': { status: 401, title: 'Credentials are missing' },
  'auth.credentials_invalid': { status: 401, title: 'Credentials are not valid' },
  'auth.key_revoked': { status: 401, title: 'The API key has been revoked' },
  'auth.session_expired': { status: 401, title: 'The session has expired' },
  'auth.ip_not_allowed': { status: 403, title: 'The client IP is not allowed for this API key' },
  'auth.scope_missing': { status: 403, title: 'The credentials lack a required scope' },
  'auth.role_forbidden': { status: 403, title: 'The operator role does not allow this' },
  'auth.login_failed': { status: 401, title: 'E-mail or password is wrong' },
  'auth.workspace_required': { status: 400, title: 'Name the workspace to log in to' },
  'auth.too_many_attempts': { status: 429, title: 'Too many failed logins' },
  'rate_limit.exceeded': { status: 429, title: 'Too many requests from this credential' },
  'channel.config_invalid': { status: 422, title: 'The channel configuration is not valid for its type' },
  'channel.unavailable': { status: 503, title: 'The channel cannot be used right now' },
  'template.invalid_transition': {
    status: 409,
    title: 'The template is not in a state that allows this',
  },
  'notification.template_unavailable': {
    status: 422,
    title: 'The template does not exist or has no approved version',
  },
  'notification.params_missing': { status: 422, title: 'Template parameters are missing' },
  'notification.route_invalid': { status: 422, title: 'The route names no usable channel' },
  'notification.recipient_invalid': { status: 422, title: 'The recipient cannot be found in this workspace' },
  'inbox.operator_required': { status: 422, title: 'Only an operator session can ask for this' },
  'inbox.operator_unavailable': { status: 422, title: 'The operator is disabled' },
  'inbox.channel_removed': { status: 409, title: 'The conversation’s channel no longer exists' },
  'inbox.reply_content_invalid': { status: 422, title: 'The reply does not fit the channel' },
  'inbox.reply_window_closed': {
    status: 422,
    title: 'The channel’s reply window is closed: only an approved template can be sent',
  },
  'inbox.reply_template_unavailable': {
    status: 422,
    title: 'The template is not approved or not sendable on this channel',
  },
  'inbox.canned_placeholder_unknown': {
    status: 422,
    title: 'The canned response names an unknown placeholder',
  },
  'bot_flow.invalid': { status: 422, title: 'The bot flow file is not valid' },
  'bot_flow.not_found': { status: 404, title: 'No bot flow of that name in this workspace' },
  'bot_flow.version_not_found': { status: 404, title: 'The bot flow has no such version' },
  'contact.merge_invalid': { status: 422, title: 'The contacts cannot be merged' },
  'idempotency.key_reused': {
    status: 422,
    title: 'The Idempotency-Key was already used with a different request',
  },
  'idempotency.in_flight': { status: 409, title: 'A request with this Idempotency-Key is still running' },
  'webhook_endpoint.url_refused': { status: 422, title: 'Vestnik will not send webhooks to this URL' },
  'webhook_endpoint.disabled': { status: 409, title: 'The webhook endpoint is disabled' },
  'webhook_endpoint.limit_reached': { status: 409, title: 'The workspace has too many webhook endpoints' },
  'webhook.malformed': { status: 400, title: 'The webhook payload is malformed' },
  'webhook.unauthorized': { status: 401, title: 'The webhook signature or secret is missing or wrong' },
  'webhook.forbidden': { status: 403, title: 'The webhook source is not allowed' },
  'metrics.token_invalid': { status: 401, title: 'The metrics token is missing or wrong' },
  'service.not_ready': { status: 503, title: 'A dependency is unreachable' },
  'internal.error': { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** Relative link to the documentation of a code (served by the API at /docs/errors). */
export function errorTypeUri(code: ErrorCode): string {
  return `/docs/errors#${code.replaceAll('.', '-').replaceAll('_', '-')}`;
}
