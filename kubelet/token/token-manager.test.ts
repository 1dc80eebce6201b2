import { describe, expect, it } from 'vitest';
import type { TokenRequest } from '../../pkg/client/create-token.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { requiresRefresh, tokenCacheKey, type CachedToken } from './refresh.ts';
import { TokenManager } from './token-manager.ts';

const HOUR = 3_600_000;
const request = (uid = 'uid-1', expirationSeconds = 3600, audiences?: string[]): TokenRequest => ({ spec: { audiences, expirationSeconds, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid } } });

/** A fake API: numbered tokens valid for the requested lifetime from the clock's now; `fail` makes calls reject. */
function fakeApi(clock: FakeClock) {
  const calls: Array<{ namespace: string; name: string; request: TokenRequest }> = [];
  const api = {
    calls,
    fail: undefined as Error | undefined,
    getToken: async (namespace: string, name: string, req: TokenRequest): Promise<TokenRequest> => {
      calls.push({ namespace, name, request: req });
      if (api.fail) throw api.fail;
      return { ...req, status: { token: `token-${calls.length}`, expirationTimestamp: new Date(clock.now() + (req.spec.expirationSeconds ?? 3600) * 1000).toISOString() } };
    },
  };
  return api;
}

function setup() {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const api = fakeApi(clock);
  const errors: unknown[] = [];
  const manager = new TokenManager({ getToken: api.getToken, clock, jitter: () => 0, log: { error: (o: unknown) => void errors.push(o) } as never });
  return { clock, api, manager, errors };
}

describe('requiresRefresh', () => {
  const token = (expiresAt: number, expirationSeconds: number | undefined): CachedToken => ({ request: request(), token: 't', expiresAt, expirationSeconds, podUid: 'uid-1' });
  const issued = 1_000 * HOUR;
  it.each([
    ['fresh', 3600, issued + 0.5 * HOUR, 0, false],
    ['at 80 % of its lifetime', 3600, issued + 0.8 * HOUR, 0, false],
    ['past 80 % of its lifetime', 3600, issued + 0.8 * HOUR + 1, 0, true],
    ['within the jitter of 80 %', 3600, issued + 0.8 * HOUR - 5_000, 9_000, true],
    ['a 48 h token at 23 h', 48 * 3600, issued + 23 * HOUR, 0, false],
    ['a 48 h token past 24 h (well before 80 %)', 48 * 3600, issued + 24 * HOUR + 1, 0, true],
    ['issued in the future (clock leapt back)', 3600, issued - 1, 0, true],
  ] as const)('%s', (_n, seconds, now, jitter, refresh) => {
    expect(requiresRefresh(token(issued + seconds * 1000, seconds), now, jitter)).toBe(refresh);
  });
  it('keeps a token whose lifetime is unknown', () => {
    expect(requiresRefresh(token(issued + HOUR, undefined), issued + 10 * HOUR, 0)).toBe(false);
  });
  it('keys on account, namespace, audiences, lifetime and bound pod', () => {
    const keys = new Set([tokenCacheKey('ns', 'sa', request()), tokenCacheKey('ns', 'other', request()), tokenCacheKey('ns2', 'sa', request()), tokenCacheKey('ns', 'sa', request('uid-2')), tokenCacheKey('ns', 'sa', request('uid-1', 7200)), tokenCacheKey('ns', 'sa', request('uid-1', 3600, ['vault']))]);
    expect(keys.size).toBe(6);
    expect(tokenCacheKey('ns', 'sa', request())).toBe(tokenCacheKey('ns', 'sa', request()));
  });
});

describe('TokenManager', () => {
  it('asks once and serves the cached token until 80 % of its lifetime, then refreshes', async () => {
    const { clock, api, manager } = setup();
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-1');
    clock.step(0.8 * HOUR);
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-1');
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toEqual({ namespace: 'default', name: 'sa', request: request() });
    clock.step(1);
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-2');
    expect(api.calls).toHaveLength(2);
  });

  it('caps a long-lived token at 24 hours', async () => {
    const { clock, api, manager } = setup();
    await manager.getServiceAccountToken('default', 'sa', request('uid-1', 7 * 24 * 3600));
    clock.step(24 * HOUR);
    await manager.getServiceAccountToken('default', 'sa', request('uid-1', 7 * 24 * 3600));
    expect(api.calls).toHaveLength(1);
    clock.step(1);
    expect((await manager.getServiceAccountToken('default', 'sa', request('uid-1', 7 * 24 * 3600))).token).toBe('token-2');
  });

  it('keeps separate tokens per pod and audience, and forgets a pod’s tokens when it goes away', async () => {
    const { api, manager } = setup();
    await manager.getServiceAccountToken('default', 'sa', request('uid-1'));
    await manager.getServiceAccountToken('default', 'sa', request('uid-1', 3600, ['vault']));
    await manager.getServiceAccountToken('default', 'sa', request('uid-2'));
    expect(manager.size).toBe(3);
    manager.deleteServiceAccountToken('uid-1');
    expect(manager.size).toBe(1);
    await manager.getServiceAccountToken('default', 'sa', request('uid-2'));
    expect(api.calls).toHaveLength(3);
    await manager.getServiceAccountToken('default', 'sa', request('uid-1'));
    expect(api.calls).toHaveLength(4);
  });

  it('cleanup drops expired tokens only', async () => {
    const { clock, manager } = setup();
    await manager.getServiceAccountToken('default', 'sa', request('uid-1', 600));
    await manager.getServiceAccountToken('default', 'sa', request('uid-2', 3600));
    clock.step(600_001);
    manager.cleanup();
    expect(manager.size).toBe(1);
  });

  it('a failed first request rejects with upstream’s message, and the next call asks again', async () => {
    const { api, manager } = setup();
    api.fail = new Error('serviceaccounts "sa" not found');
    await expect(manager.getServiceAccountToken('default', 'sa', request())).rejects.toThrow('failed to fetch token: serviceaccounts "sa" not found');
    api.fail = undefined;
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-2');
  });

  it('a failed refresh serves the old token while it is valid, then fails', async () => {
    const { clock, api, manager, errors } = setup();
    await manager.getServiceAccountToken('default', 'sa', request());
    api.fail = new Error('connection refused');
    clock.step(0.9 * HOUR);
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-1');
    expect(errors).toHaveLength(1);
    clock.step(0.1 * HOUR + 1);
    await expect(manager.getServiceAccountToken('default', 'sa', request())).rejects.toThrow(/^token .* expired and refresh failed: connection refused$/);
    api.fail = undefined;
    expect((await manager.getServiceAccountToken('default', 'sa', request())).token).toBe('token-4');
  });
});
