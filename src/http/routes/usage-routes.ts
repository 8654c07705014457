import type { Models } from '../../storage/models';
import { usageQuerySchema, usageReport, usageReportSchema } from '../../usage/usage-report';
import { type AnyRoute, defineRoute } from '../route-definition';

export function usageRoutes(deps: { models: Models }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/usage',
      summary: 'Delivered notifications per UTC day and channel (only delivered messages count)',
      tag: 'usage',
      access: ['notifications:read'],
      query: usageQuerySchema,
      response: {
        status: 200,
        schema: usageReportSchema,
        description: 'Counts per day and channel, and totals',
      },
      handle: ({ principal, query }) => usageReport(deps.models, principal.workspaceId, query),
    }),
  ];
}
