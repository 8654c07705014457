import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An encrypted value as stored: AES-256-GCM, `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export type Sealed = string & { readonly sealed: true };

/**
 * Encrypts channel secrets at rest with a key from configuration. Authenticated encryption: a
 * tampered or foreign value fails to open instead of yielding garbage. The channel id is bound in
 * as associated data, so a sealed secret copied to another channel does not open there.
 */
export interface SecretBox {
  seal(plain: string, context: string): Sealed;
  open(sealed: string, context: string): string;
}

export class SecretBoxError extends Error {
  readonly code = 'secret_box.open_failed';
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('the secrets key must be 32 bytes');
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.') as Sealed;
    },
    open(sealed, context) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined)
        throw new SecretBoxError('not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        throw new SecretBoxError('a stored secret could not be decrypted (wrong SECRETS_KEY?)', {
          cause: error,
        });
      }
    },
  };
}
