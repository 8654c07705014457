import type { z } from 'zod';
import type { AdapterDefinition } from '../../adapters/contract';
import type { SecretBox } from './secret-box';

export type PlainConfig = Record<string, unknown>;

/** A config, split into what is stored plainly and what is sealed. */
export interface StoredConfig {
  settings: PlainConfig;
  secrets: Record<string, string>;
}

export type ConfigCheck =
  | { ok: true; config: PlainConfig }
  | { ok: false; errors: Array<{ path: string; message: string }> };

/** Validates a full config against the adapter's schema; paths are reported as `config.<field>`. */
export function checkConfig(definition: AdapterDefinition, input: unknown): ConfigCheck {
  const result = (definition.configSchema as z.ZodType<PlainConfig>).safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: ['config', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  };
}

/** Splits a validated config, sealing the adapter's secret fields with the channel id as context. */
export function sealConfig(
  definition: AdapterDefinition,
  config: PlainConfig,
  box: SecretBox,
  channelId: string,
): StoredConfig {
  const settings: PlainConfig = {};
  const secrets: Record<string, string> = {};
  for (const [field, value] of Object.entries(config)) {
    if (definition.secretFields.includes(field) && typeof value === 'string')
      secrets[field] = box.seal(value, `${channelId}:${field}`);
    else settings[field] = value;
  }
  return { settings, secrets };
}

/** The full config again, secrets opened. Throws `SecretBoxError` when the key changed. */
export function openConfig(stored: StoredConfig, box: SecretBox, channelId: string): PlainConfig {
  const config: PlainConfig = { ...stored.settings };
  for (const [field, sealed] of Object.entries(stored.secrets))
    config[field] = box.open(sealed, `${channelId}:${field}`);
  return config;
}

/**
 * The config as the API shows it: secrets never whole — `…` and their last four characters when
 * they are long enough for that to reveal nothing useful, else only that they are set.
 */
export function maskedConfig(stored: StoredConfig, box: SecretBox, channelId: string): PlainConfig {
  const masked: PlainConfig = { ...stored.settings };
  for (const [field, sealed] of Object.entries(stored.secrets)) {
    let hint = '(set)';
    try {
      const plain = box.open(sealed, `${channelId}:${field}`);
      if (plain.length >= 16) hint = `…${plain.slice(-4)}`;
    } catch {
      hint = '(unreadable: SECRETS_KEY changed)';
    }
    masked[field] = hint;
  }
  return masked;
}
