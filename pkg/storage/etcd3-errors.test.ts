import { describe, expect, it } from 'vitest';
import { GRPCOutOfRangeError, GRPCUnavailableError, GRPCInvalidArgumentError } from 'etcd3';
import { isAlreadyCompacted, toStorageError } from './etcd3-errors.ts';
import { StorageError } from './types.ts';

describe('toStorageError', () => {
  it.each([
    [new GRPCOutOfRangeError('etcdserver: mvcc: required revision has been compacted'), 'Expired'],
    [new GRPCOutOfRangeError('etcdserver: mvcc: required revision is a future revision'), 'TooLarge'],
    [new GRPCUnavailableError('14 UNAVAILABLE: No connection established'), 'Unavailable'],
  ])('%s → %s', (err, code) => {
    const mapped = toStorageError(err, 'op');
    expect(mapped).toBeInstanceOf(StorageError);
    expect((mapped as StorageError).code).toBe(code);
  });

  it("reports etcd's other refusals as Rejected with etcd's own text", () => {
    const err = new GRPCInvalidArgumentError('3 INVALID_ARGUMENT: etcdserver: request is too large');
    expect(toStorageError(err, 'op')).toMatchObject({ code: 'Rejected', message: 'etcdserver: request is too large' });
  });

  it('passes other errors through unchanged', () => {
    const err = new TypeError('a bug');
    expect(toStorageError(err, 'op')).toBe(err);
    const own = new StorageError('Conflict', 'x');
    expect(toStorageError(own, 'op')).toBe(own);
  });

  it('recognises an already-compacted revision', () => {
    expect(isAlreadyCompacted(new GRPCOutOfRangeError('etcdserver: mvcc: required revision has been compacted'))).toBe(true);
    expect(isAlreadyCompacted(new Error('other'))).toBe(false);
  });
});

/** What cockatiel throws when every member's circuit breaker is open (flagged, named 'Error'). */
class BrokenCircuitLike extends Error {
  readonly isBrokenCircuitError = true;
}

describe('toStorageError on raw gRPC errors', () => {
  it('maps an open circuit breaker (all members failed recently) to Unavailable, not an internal error', () => {
    const err = new BrokenCircuitLike('Execution prevented because the circuit breaker is open');
    expect(err.name).toBe('Error');
    expect(toStorageError(err, 'create /x')).toMatchObject({ code: 'Unavailable' });
  });

  it('maps an untyped status 14 error (as raw streams emit) to Unavailable', () => {
    const raw = Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14, details: 'Connection dropped' });
    expect(toStorageError(raw, 'watch')).toMatchObject({ code: 'Unavailable' });
  });
});
