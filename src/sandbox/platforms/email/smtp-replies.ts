import type { SMTPServerError } from 'smtp-server';

/**
 * SMTP error replies, texts modelled on Gmail's (https://support.google.com/a/answer/3726730)
 * and Yandex's. The server adds the RFC 3463 enhanced status code itself (ENHANCEDSTATUSCODES is
 * advertised), e.g. `550 5.1.1`, `451 4.3.0`, `450 4.2.1`, `535 5.7.8`.
 */
export function smtpError(responseCode: number, text: string): SMTPServerError {
  return Object.assign(new Error(text), { responseCode });
}

export const replies = {
  userUnknown: (): SMTPServerError =>
    smtpError(
      550,
      "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
    ),
  senderNotOwned: (): SMTPServerError => smtpError(553, 'Sender address rejected: not owned by auth user.'),
  badCredentials: { responseCode: 535, message: 'Username and Password not accepted.' },
  temporaryError: (): SMTPServerError => smtpError(451, 'Temporary server error. Please try again later.'),
  /** Gmail's 450 4.2.1 throttling reply, with the delay the `rate-limit` fault asks for. */
  rateLimited: (retryAfterSeconds: number): SMTPServerError =>
    smtpError(
      450,
      `The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message in ${retryAfterSeconds} seconds.`,
    ),
};
