import { describe, expect, it } from 'vitest';
import { hostPolicyFor, passThroughPolicy } from './etcd3-host-policy.ts';

describe('hostPolicyFor', () => {
  it('passes calls through for a single member and keeps the default for several', () => {
    expect(hostPolicyFor(['http://127.0.0.1:2379'])?.('h')).toBe(passThroughPolicy);
    expect(hostPolicyFor(['http://a:2379', 'http://b:2379'])).toBeUndefined();
  });

  it('never refuses a call after failures (no breaker)', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
    for (let i = 0; i < 10; i++) await expect(passThroughPolicy.execute(failing)).rejects.toThrow('Connection dropped');
    await expect(passThroughPolicy.execute(async () => 'ok')).resolves.toBe('ok');
  });
});
