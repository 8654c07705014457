import { z } from 'zod';
import type { ReceivedMessage } from '../../virtual-users';
import { type GraphErrorSpec, graphErrors } from './graph-errors';

type ReceivedButton = ReceivedMessage['buttons'][number];

/** A free-form message as the user will see it. */
export interface FreeFormSend {
  kind: 'free-form';
  text: string;
  buttons: ReceivedButton[];
  mediaIds: string[];
}

/** A template message; resolved against the WABA's templates by the sender. */
export interface TemplateSend {
  kind: 'template';
  name: string;
  language: string;
  components: Array<z.output<typeof templateComponent>>;
}

export interface ParsedSend {
  to: string;
  replyTo: string | undefined;
  callbackData: string | undefined;
  content: FreeFormSend | TemplateSend;
}

type Rule = (body: Record<string, unknown>) => FreeFormSend | TemplateSend | GraphErrorSpec;

const codePoints = (text: string): number => [...text].length;

/** Cloud API limits ("Text messages", "Interactive reply buttons messages", "Image messages"). */
export const messageLimits = {
  text: 4096,
  interactiveBody: 1024,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
} as const;

const textObject = z.looseObject({ body: z.string().min(1), preview_url: z.boolean().optional() });
const imageObject = z.looseObject({
  id: z.string().optional(),
  link: z.string().optional(),
  caption: z.string().optional(),
});
const replyButton = z.looseObject({
  type: z.literal('reply'),
  reply: z.looseObject({ id: z.string(), title: z.string() }),
});
const buttonsInteractive = z.looseObject({
  type: z.literal('button'),
  header: z.looseObject({ type: z.string(), image: z.looseObject({ id: z.string() }).optional() }).optional(),
  body: z.looseObject({ text: z.string().min(1) }),
  action: z.looseObject({ buttons: z.array(replyButton) }),
});
const ctaUrlInteractive = z.looseObject({
  type: z.literal('cta_url'),
  body: z.looseObject({ text: z.string().min(1) }),
  action: z.looseObject({
    name: z.literal('cta_url'),
    parameters: z.looseObject({ display_text: z.string().min(1), url: z.url() }),
  }),
});
const templateComponent = z.looseObject({
  type: z.string(),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z
    .array(
      z.looseObject({
        type: z.string(),
        text: z.string().optional(),
        parameter_name: z.string().optional(),
        payload: z.string().optional(),
      }),
    )
    .optional(),
});
const templateObject = z.looseObject({
  name: z.string().min(1),
  language: z.looseObject({ code: z.string().min(1) }),
  components: z.array(templateComponent).optional(),
});

const firstIssue = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)[0] ?? 'invalid';

function checkButtons(buttons: Array<z.output<typeof replyButton>>): GraphErrorSpec | null {
  const { buttons: max, buttonTitle, buttonId } = messageLimits;
  if (buttons.length < 1 || buttons.length > max) {
    return graphErrors.parameterValueInvalid(
      `Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: ${max}`,
    );
  }
  for (const { reply } of buttons) {
    const length = codePoints(reply.title);
    if (length < 1 || length > buttonTitle) {
      return graphErrors.parameterValueInvalid(
        `Button title length invalid. Min length: 1, Max length: ${buttonTitle}`,
      );
    }
    if (reply.id.length < 1 || reply.id.length > buttonId) {
      return graphErrors.parameterValueInvalid(
        `Button id length invalid. Min length: 1, Max length: ${buttonId}`,
      );
    }
  }
  const titles = new Set(buttons.map((button) => button.reply.title));
  const ids = new Set(buttons.map((button) => button.reply.id));
  if (titles.size !== buttons.length || ids.size !== buttons.length) {
    return graphErrors.parameterValueInvalid('Button titles and ids must be unique');
  }
  return null;
}

const interactiveRules: Readonly<Record<string, Rule>> = {
  button: (body) => {
    const parsed = buttonsInteractive.safeParse(body.interactive);
    if (!parsed.success) return graphErrors.parameterValueInvalid(firstIssue(parsed.error));
    const { body: text, action, header } = parsed.data;
    if (codePoints(text.text) > messageLimits.interactiveBody) {
      return graphErrors.tooLong("interactive['body']['text']", messageLimits.interactiveBody);
    }
    const refusal = checkButtons(action.buttons);
    if (refusal) return refusal;
    const buttons = action.buttons.map(({ reply }) => ({
      label: reply.title,
      kind: 'reply' as const,
      payload: reply.id,
    }));
    return { kind: 'free-form', text: text.text, buttons, mediaIds: header?.image ? [header.image.id] : [] };
  },
  cta_url: (body) => {
    const parsed = ctaUrlInteractive.safeParse(body.interactive);
    if (!parsed.success) return graphErrors.parameterValueInvalid(firstIssue(parsed.error));
    const { display_text: label, url } = parsed.data.action.parameters;
    if (codePoints(label) > messageLimits.buttonTitle) {
      return graphErrors.parameterValueInvalid(
        `Button title length invalid. Min length: 1, Max length: ${messageLimits.buttonTitle}`,
      );
    }
    return {
      kind: 'free-form',
      text: parsed.data.body.text,
      buttons: [{ label, kind: 'link', url }],
      mediaIds: [],
    };
  },
};

/**
 * Message type → rule. Types the Cloud API has but the simulator does not act out (audio, video,
 * document, sticker, location, contacts, reaction, list…) are answered 131051 with a sandbox note.
 */
const typeRules: Readonly<Record<string, Rule>> = {
  text: (body) => {
    const parsed = textObject.safeParse(body.text);
    if (!parsed.success) return graphErrors.missingParameter("text['body']");
    if (codePoints(parsed.data.body) > messageLimits.text)
      return graphErrors.tooLong("text['body']", messageLimits.text);
    return { kind: 'free-form', text: parsed.data.body, buttons: [], mediaIds: [] };
  },
  image: (body) => {
    const parsed = imageObject.safeParse(body.image);
    if (!parsed.success || !(parsed.data.id || parsed.data.link))
      return graphErrors.missingParameter("image['id']");
    const caption = parsed.data.caption ?? '';
    if (codePoints(caption) > messageLimits.caption)
      return graphErrors.tooLong("image['caption']", messageLimits.caption);
    return {
      kind: 'free-form',
      text: caption,
      buttons: [],
      mediaIds: parsed.data.id ? [parsed.data.id] : [],
    };
  },
  interactive: (body) => {
    const type = String((body.interactive as { type?: unknown } | undefined)?.type ?? '');
    const rule = interactiveRules[type];
    return rule
      ? rule(body)
      : graphErrors.unsupportedType(`the sandbox does not simulate interactive type "${type}"`);
  },
  template: (body) => {
    const parsed = templateObject.safeParse(body.template);
    if (!parsed.success) return graphErrors.missingParameter(`template: ${firstIssue(parsed.error)}`);
    const { name, language, components } = parsed.data;
    return { kind: 'template', name, language: language.code, components: components ?? [] };
  },
};

const sendEnvelope = z.looseObject({
  messaging_product: z.string().optional(),
  recipient_type: z.string().optional(),
  to: z.string().optional(),
  type: z.string().default('text'),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().optional(),
});

/** Checks a `POST /{phone-number-id}/messages` body against the Cloud API's rules. */
export function parseSend(body: unknown): ParsedSend | GraphErrorSpec {
  const parsed = sendEnvelope.safeParse(body ?? {});
  if (!parsed.success) return graphErrors.invalidParameter(firstIssue(parsed.error));
  const envelope = parsed.data;
  if (envelope.messaging_product !== 'whatsapp') return graphErrors.missingParameter('messaging_product');
  if (!envelope.to) return graphErrors.missingParameter('to');
  if (!/^\+?\d{5,20}$/.test(envelope.to)) return graphErrors.invalidParameter("Invalid 'to' parameter");
  if (envelope.recipient_type && envelope.recipient_type !== 'individual') {
    return graphErrors.unsupportedType('the sandbox only simulates recipient_type "individual"');
  }
  if ((envelope.biz_opaque_callback_data?.length ?? 0) > 512)
    return graphErrors.tooLong('biz_opaque_callback_data', 512);
  const rule = typeRules[envelope.type];
  if (!rule)
    return graphErrors.unsupportedType(`the sandbox does not simulate message type "${envelope.type}"`);
  const content = rule(body as Record<string, unknown>);
  if ('http' in content) return content;
  return {
    to: envelope.to.replace(/^\+/, ''),
    replyTo: envelope.context?.message_id,
    callbackData: envelope.biz_opaque_callback_data,
    content,
  };
}
