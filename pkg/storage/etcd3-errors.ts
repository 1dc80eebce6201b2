/**
 * Translation of etcd / gRPC client failures into `StorageError`s at the etcd edge. etcd reports
 * compaction and future revisions only as gRPC status messages (OUT_OF_RANGE), so those two are
 * recognised by etcd's fixed server error strings (upstream's rpctypes do the same); transport
 * failures become 'Unavailable'; any other refusal by etcd becomes 'Rejected' with etcd's own text
 * (`etcdserver: request is too large`, without grpc-js's `3 INVALID_ARGUMENT: ` prefix), as Go's
 * etcd client reports it. Anything else is returned unchanged.
 */
import { castGrpcError, ClientClosedError, EtcdError, EtcdWatchStreamEnded, GRPCDeadlineExceededError, GRPCGenericError, GRPCUnavailableError, isRecoverableError } from 'etcd3';
import { StorageError } from './types.ts';

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';

export function toStorageError(raw: unknown, context: string): unknown {
  if (raw instanceof StorageError || !(raw instanceof Error)) return raw;
  // Errors from raw gRPC streams (watch) arrive untyped; the client's own calls are cast already.
  const err = castGrpcError(raw);
  if (err.message.includes(COMPACTED)) return new StorageError('Expired', `${context}: ${COMPACTED}`);
  if (err.message.includes(FUTURE)) return new StorageError('TooLarge', `${context}: Too large resource version`);
  if (
    err instanceof GRPCUnavailableError ||
    err instanceof ClientClosedError ||
    err instanceof GRPCDeadlineExceededError ||
    err instanceof EtcdWatchStreamEnded ||
    isRecoverableError(err) ||
    isBrokenCircuit(err)
  ) {
    const wrapped = new StorageError('Unavailable', `${context}: etcd unavailable: ${err.message}`);
    wrapped.cause = raw;
    return wrapped;
  }
  if (err instanceof GRPCGenericError || err instanceof EtcdError) {
    const rejected = new StorageError('Rejected', err.message.replace(/^\d+ [A-Z_]+: /, ''));
    rejected.cause = raw;
    return rejected;
  }
  return raw;
}

/**
 * The etcd3 client's per-member circuit breakers (cockatiel) are all open: every member failed
 * recently. Cockatiel marks the error with a flag; its `name` stays 'Error'.
 */
function isBrokenCircuit(err: Error): boolean {
  return err.name === 'BrokenCircuitError' || (err as { isBrokenCircuitError?: unknown }).isBrokenCircuitError === true;
}

/** True for the error etcd gives when compacting at or below the current compact revision. */
export function isAlreadyCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED);
}
