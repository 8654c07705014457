import type { Model } from 'mongoose';
import { TenantRepository, trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';

interface Item {
  workspaceId: string;
  name: string;
}

/**
 * Compile-time guarantees, checked by `npm run typecheck` (tsc over test/): each
 * `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused.
 */
function typeChecks(repo: TenantRepository<Item>, workspaceId: WorkspaceId) {
  // @ts-expect-error a plain string is not a workspace id: ids come from a principal or a verified lookup
  void repo.findById('6b01f238cf5e17ea53158269', 'x');
  // @ts-expect-error the workspace is never part of a caller's filter: the repository adds it
  void repo.find(workspaceId, { workspaceId: 'someone-else' });
  // @ts-expect-error every method takes the workspace first
  void repo.count();
  void repo.find(workspaceId, { name: 'ok' });
}

describe('tenant repository typing', () => {
  it('accepts only branded workspace ids (see the compile-time checks above)', () => {
    expect(typeof typeChecks).toBe('function');
    const id: WorkspaceId = trustedWorkspaceId('6b01f238cf5e17ea53158269');
    expect(id).toBe('6b01f238cf5e17ea53158269');
    expect(new TenantRepository({} as Model<Item>)).toBeInstanceOf(TenantRepository);
  });
});
