import type { Response } from 'express';
import type { SeededRandom } from '../../seeded-random';

/**
 * A Graph API error as the Cloud API answers it (HTTP status + `{"error": {...}}`), from Meta's
 * "Error codes" page and the `GraphAPIError` schema of the business-messaging OpenAPI (v23.0).
 */
export interface GraphErrorSpec {
  http: number;
  code: number;
  /** Title; the wire `message` is `(#code) title` for WhatsApp codes. */
  title: string;
  type?: 'OAuthException' | 'GraphMethodException';
  details?: string;
  subcode?: number;
  userTitle?: string;
  userMessage?: string;
  /** Graph's own errors (tokens, paths, objects) have no `(#code)` prefix. */
  bare?: boolean;
}

/** Sends a Graph error answer with a fresh `fbtrace_id`; 401s carry Graph's `WWW-Authenticate`. */
export function sendGraphError(res: Response, random: SeededRandom, spec: GraphErrorSpec): void {
  const message = spec.bare ? spec.title : `(#${spec.code}) ${spec.title}`;
  if (spec.http === 401) {
    res.set('WWW-Authenticate', `OAuth "Facebook Platform" "invalid_token" "${spec.title}"`);
  }
  res.status(spec.http).json({
    error: {
      message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.details ? { error_data: { messaging_product: 'whatsapp', details: spec.details } } : {}),
      ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
      ...(spec.userTitle ? { error_user_title: spec.userTitle } : {}),
      ...(spec.userMessage ? { error_user_msg: spec.userMessage } : {}),
      fbtrace_id: `A${random.token(22)}`,
    },
  });
}

/** The errors the simulator answers, by name. */
export const graphErrors = {
  invalidToken: (): GraphErrorSpec => ({
    http: 401,
    code: 190,
    bare: true,
    title: 'Invalid OAuth access token - Cannot parse access token',
  }),
  unknownObject: (method: string, id: string): GraphErrorSpec => ({
    http: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    bare: true,
    title: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  }),
  unknownPath: (path: string): GraphErrorSpec => ({
    http: 400,
    code: 2500,
    bare: true,
    title: `Unknown path components: ${path}`,
  }),
  missingParameter: (name: string): GraphErrorSpec => ({
    http: 400,
    code: 100,
    title: `The parameter ${name} is required.`,
  }),
  tooLong: (param: string, max: number): GraphErrorSpec => ({
    http: 400,
    code: 100,
    title: `Param ${param} must be at most ${max} characters long.`,
  }),
  invalidParameter: (details: string): GraphErrorSpec => ({
    http: 400,
    code: 100,
    title: 'Invalid parameter',
    details,
  }),
  parameterValueInvalid: (details: string): GraphErrorSpec => ({
    http: 400,
    code: 131009,
    title: 'Parameter value is not valid',
    details,
  }),
  unsupportedType: (details: string): GraphErrorSpec => ({
    http: 400,
    code: 131051,
    title: 'Unsupported message type',
    details,
  }),
  mediaUpload: (details: string): GraphErrorSpec => ({
    http: 400,
    code: 131053,
    title: 'Media upload error',
    details,
  }),
  templateMissing: (name: string, language: string): GraphErrorSpec => ({
    http: 404,
    code: 132001,
    title: 'Template name does not exist in the translation',
    details: `template name (${name}) does not exist in ${language}`,
  }),
  templateParams: (details: string): GraphErrorSpec => ({
    http: 400,
    code: 132000,
    title: 'Number of parameters does not match the expected number of params',
    details,
  }),
  templateExists: (): GraphErrorSpec => ({
    http: 400,
    code: 100,
    subcode: 2388024,
    title: 'Invalid parameter',
    userTitle: 'Content in this language already exists',
    userMessage:
      'There is already content for this template in this language. Create a new template and try again.',
  }),
  callbackUnverified: (reason: string): GraphErrorSpec => ({
    http: 422,
    code: 100,
    type: 'GraphMethodException',
    bare: true,
    title: `Webhook callback URL is not reachable or invalid: ${reason}`,
  }),
  throughput: (): GraphErrorSpec => ({
    http: 400,
    code: 130429,
    title: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  }),
} as const;

/** Errors Meta reports asynchronously, in a `failed` status webhook (`statuses[].errors[]`). */
export const asyncErrors = {
  reEngagement: {
    code: 131047,
    title: 'Re-engagement message',
    message: 'Re-engagement message',
    error_data: {
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  },
  undeliverable: {
    code: 131026,
    title: 'Message undeliverable',
    message: 'Message undeliverable',
    error_data: { details: 'Message Undeliverable.' },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  },
} as const;
export type AsyncError = (typeof asyncErrors)[keyof typeof asyncErrors];
