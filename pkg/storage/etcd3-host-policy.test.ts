import { describe, expect, it } from 'vitest';
import { GRPCDeadlineExceededError, GRPCFailedPreconditionError, GRPCUnavailableError } from 'etcd3';
import { hostPolicyFor, isMemberUnreachable, memberBreaker, passThroughPolicy } from './etcd3-host-policy.ts';

describe('hostPolicyFor', () => {
  it('passes calls through for a single member and gives each of several its own breaker', () => {
    expect(hostPolicyFor(['http://127.0.0.1:2379'])('h')).toBe(passThroughPolicy);
    const several = hostPolicyFor(['http://a:2379', 'http://b:2379']);
    expect(several('a')).not.toBe(passThroughPolicy);
    expect(several('a')).not.toBe(several('b'));
  });

  it.each([
    ['14 UNAVAILABLE: No connection established', new GRPCUnavailableError('14 UNAVAILABLE: No connection established'), true],
    ['4 DEADLINE_EXCEEDED: Deadline exceeded', new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded'), true],
    ['14 UNAVAILABLE: etcdserver: leader changed', new GRPCUnavailableError('14 UNAVAILABLE: etcdserver: leader changed'), false],
    ['14 UNAVAILABLE: etcdserver: request timed out', new GRPCUnavailableError('14 UNAVAILABLE: etcdserver: request timed out'), false],
    ['9 FAILED_PRECONDITION (not recoverable)', new GRPCFailedPreconditionError('9 FAILED_PRECONDITION: x'), false],
  ])('isMemberUnreachable(%s) = %s', (_name, err, unreachable) => {
    expect(isMemberUnreachable(err)).toBe(unreachable);
  });

  it('a member breaker stays closed through answers etcd gives during an election, and opens on an unreachable member', async () => {
    const breaker = memberBreaker();
    const answer = () => Promise.reject(new GRPCUnavailableError('14 UNAVAILABLE: etcdserver: leader changed'));
    for (let i = 0; i < 5; i++) await expect(breaker.execute(answer)).rejects.toThrow('leader changed');
    await expect(breaker.execute(async () => 'ok')).resolves.toBe('ok');
    const unreachable = () => Promise.reject(new GRPCUnavailableError('14 UNAVAILABLE: No connection established'));
    for (let i = 0; i < 3; i++) await expect(breaker.execute(unreachable)).rejects.toThrow('No connection');
    await expect(breaker.execute(async () => 'ok')).rejects.toThrow('circuit breaker is open');
  });

  it('never refuses a call after failures (no breaker)', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
    for (let i = 0; i < 10; i++) await expect(passThroughPolicy.execute(failing)).rejects.toThrow('Connection dropped');
    await expect(passThroughPolicy.execute(async () => 'ok')).resolves.toBe('ok');
  });
});
