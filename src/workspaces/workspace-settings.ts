import { isValidObjectId, trusted } from 'mongoose';
import { z } from 'zod';
import { isChannelKind } from '../../adapters/contract';
import { AppError, type FieldError } from '../errors/app-error';
import { validationFailed } from '../http/validation';
import { type RouteStep, routeStepsSchema } from '../limits/route-step';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';

/** SMS spend accounting of a workspace. Amounts are in the workspace's currency, 2 decimals at most. */
export interface SmsSpendSettings {
  /** Price of one SMS segment; 0 = not priced. */
  pricePerSegment: number;
  /** Most the workspace may spend on SMS per calendar month (UTC); null = no cap. */
  monthlyCap: number | null;
}

/** How a workspace delivers notifications by default. */
export interface WorkspaceSettings {
  /** Channels tried in order when a notification names no route; empty = the caller must name one. */
  defaultRoute: RouteStep[];
  /** Lifts the per-recipient daily cap (e.g. banks, whom VK/OK allow more). */
  recipientLimitExempt: boolean;
  smsSpend: SmsSpendSettings;
}

const defaultWorkspaceSettings: WorkspaceSettings = Object.freeze({
  defaultRoute: [],
  recipientLimitExempt: false,
  smsSpend: { pricePerSegment: 0, monthlyCap: null },
});

const money = z
  .number()
  .min(0)
  .max(1_000_000_000)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'at most 2 decimal places');

/** PATCH body: every field optional; `defaultRoute` replaces the whole route. */
export const workspaceSettingsPatchSchema = z
  .strictObject({
    defaultRoute: routeStepsSchema.optional(),
    recipientLimitExempt: z.boolean().optional(),
    smsSpend: z
      .strictObject({ pricePerSegment: money.optional(), monthlyCap: money.nullable().optional() })
      .optional(),
  })
  .meta({ id: 'UpdateWorkspaceSettingsRequest' });

export type WorkspaceSettingsPatch = z.output<typeof workspaceSettingsPatchSchema>;

/** The settings as the API shows them (all fields present, defaults filled). */
export const workspaceSettingsView = z
  .object({
    defaultRoute: z.array(z.object({ channel: z.string(), ttlSeconds: z.number().int() })),
    recipientLimitExempt: z.boolean(),
    smsSpend: z.object({ pricePerSegment: z.number(), monthlyCap: z.number().nullable() }),
  })
  .meta({ id: 'WorkspaceSettings' });

interface StoredSettings {
  defaultRoute?: { channel?: string | null; ttlSeconds?: number | null }[] | null;
  recipientLimitExempt?: boolean | null;
  smsSpend?: { pricePerSegment?: number | null; monthlyCap?: number | null } | null;
}

/** Fills defaults into settings as stored (documents older than the settings have none). */
function normalizeWorkspaceSettings(stored: StoredSettings | null | undefined): WorkspaceSettings {
  const d = defaultWorkspaceSettings;
  return {
    defaultRoute: (stored?.defaultRoute ?? []).map((s) => ({
      channel: String(s.channel),
      ttlSeconds: Number(s.ttlSeconds),
    })),
    recipientLimitExempt: stored?.recipientLimitExempt ?? d.recipientLimitExempt,
    smsSpend: {
      pricePerSegment: stored?.smsSpend?.pricePerSegment ?? d.smsSpend.pricePerSegment,
      monthlyCap: stored?.smsSpend?.monthlyCap ?? d.smsSpend.monthlyCap,
    },
  };
}

/**
 * The delivery settings of a workspace, read fresh from MongoDB (no cache), defaults filled.
 * Throws `resource.not_found` when the workspace does not exist.
 */
export async function getWorkspaceSettings(
  models: Models,
  workspaceId: WorkspaceId,
): Promise<WorkspaceSettings> {
  const doc = await models.Workspace.findById(workspaceId, { settings: 1 }).lean().exec();
  if (!doc) throw new AppError('resource.not_found', 'The workspace no longer exists.');
  return normalizeWorkspaceSettings(doc.settings);
}

/**
 * Applies a settings patch (each given field replaces the stored one; `smsSpend` merges field by
 * field) as one single-document update. Every route step must name a channel type or a channel of
 * this workspace. Not promised: ordering between two concurrent patches of the same field (the
 * last write wins).
 */
export async function updateWorkspaceSettings(
  models: Models,
  workspaceId: WorkspaceId,
  patch: WorkspaceSettingsPatch,
): Promise<WorkspaceSettings> {
  if (patch.defaultRoute) await checkRouteChannels(models, workspaceId, patch.defaultRoute);
  const set: Record<string, unknown> = {};
  if (patch.defaultRoute) set['settings.defaultRoute'] = patch.defaultRoute;
  if (patch.recipientLimitExempt !== undefined)
    set['settings.recipientLimitExempt'] = patch.recipientLimitExempt;
  if (patch.smsSpend?.pricePerSegment !== undefined)
    set['settings.smsSpend.pricePerSegment'] = patch.smsSpend.pricePerSegment;
  if (patch.smsSpend?.monthlyCap !== undefined)
    set['settings.smsSpend.monthlyCap'] = patch.smsSpend.monthlyCap;
  if (Object.keys(set).length === 0) return getWorkspaceSettings(models, workspaceId);
  const doc = await models.Workspace.findOneAndUpdate(
    { _id: workspaceId },
    { $set: set },
    {
      returnDocument: 'after',
    },
  )
    .lean()
    .exec();
  if (!doc) throw new AppError('resource.not_found', 'The workspace no longer exists.');
  return normalizeWorkspaceSettings(doc.settings);
}

/** Every step must name a channel type or a channel of the workspace (read in one query). */
async function checkRouteChannels(models: Models, workspaceId: WorkspaceId, route: RouteStep[]) {
  const ids = route.map((step) => step.channel).filter((id) => !isChannelKind(id) && isValidObjectId(id));
  const channels = ids.length
    ? await new TenantRepository(models.Channel).find(workspaceId, { _id: trusted({ $in: ids }) })
    : [];
  const found = new Set(channels.map((channel) => String(channel._id)));
  const errors: FieldError[] = [];
  for (const [index, { channel }] of route.entries()) {
    if (isChannelKind(channel) || found.has(channel.toLowerCase())) continue;
    errors.push({
      path: `body.defaultRoute.${index}.channel`,
      message: 'not a channel type nor a channel of this workspace',
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
}
