import { describe, expect, it } from 'vitest';
import { GRPCDeadlineExceededError, GRPCFailedPreconditionError, GRPCUnavailableError } from 'etcd3';
import { hostPolicyFor, isMemberUnreachable, passThroughPolicy } from './etcd3-host-policy.ts';
import { MemberReachability } from './etcd3-member-reachability.ts';

describe('hostPolicyFor', () => {
  it('passes calls through for a single member and lets reachability decide for several', () => {
    const one = ['http://127.0.0.1:2379'];
    expect(hostPolicyFor(one, new MemberReachability(one))('h')).toBe(passThroughPolicy);
    const members = ['http://a:2379', 'http://b:2379'];
    const reachability = new MemberReachability(members, { connect: () => ({ ready: async () => true, lost: () => new Promise(() => undefined), close: () => undefined }) });
    const several = hostPolicyFor(members, reachability);
    expect(several('http://a:2379')).not.toBe(passThroughPolicy);
    reachability.close();
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

  it('never refuses a call after failures (no breaker)', async () => {
    const failing = () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
    for (let i = 0; i < 10; i++) await expect(passThroughPolicy.execute(failing)).rejects.toThrow('Connection dropped');
    await expect(passThroughPolicy.execute(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('runCall', () => {
  it('captures no stacks while the call starts, and restores the limit after (also on a throw)', async () => {
    const limit = Error.stackTraceLimit;
    let during: number | undefined;
    await expect(passThroughPolicy.execute(() => ((during = Error.stackTraceLimit), 'ok'))).resolves.toBe('ok');
    expect(during).toBe(0);
    expect(Error.stackTraceLimit).toBe(limit);
    await expect(
      passThroughPolicy.execute(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('leaves errors raised after the synchronous part with their stacks', async () => {
    const err = await passThroughPolicy.execute(async () => {
      await null;
      return new Error('later');
    });
    expect(err.stack).toContain('\n    at ');
  });
});
