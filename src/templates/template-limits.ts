/**
 * Limits of a notification template (design.md, "What the market does": VK / OK service
 * notifications allow up to 5 JPEG images of at most 50 MB, width + height at most 14000 px and no
 * thinner than 1:20, and up to 6 text or link buttons per template).
 *
 * Text lengths are counted in Unicode code points, as `ChannelCapabilities.text.maxLength` is, so an
 * emoji counts as one character, not two UTF-16 units.
 */
export const templateLimits = {
  /** Template names, as the notification gateway accepts them. */
  nameMaxLength: 64,
  /** Body and advertising tail, each; the channel's own text limit is checked when sending. */
  textMaxLength: 4096,
  maxButtons: 6,
  buttonLabelMaxLength: 40,
  /** Telegram `callback_data` is 1-64 bytes, the tightest of our channels. */
  buttonPayloadMaxBytes: 64,
  maxImages: 5,
  /** 50 MB, in binary megabytes like every other byte limit in Vestnik. */
  imageMaxBytes: 50 * 1024 * 1024,
  /** Width + height, in pixels. */
  imageMaxDimensionSum: 14_000,
  /** The longer side may be at most this many times the shorter one (1:20). */
  imageMaxAspectRatio: 20,
} as const;

/** Length in Unicode code points (an emoji or a Cyrillic letter is one). */
export const codePointLength = (text: string): number => [...text].length;
