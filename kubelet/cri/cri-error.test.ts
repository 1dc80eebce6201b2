import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CriError, goCodeName, isCriNotFound } from './client.ts';

describe('CriError', () => {
  it.each([
    [grpc.status.UNKNOWN, 'Unknown'],
    [grpc.status.NOT_FOUND, 'NotFound'],
    [grpc.status.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
    [grpc.status.CANCELLED, 'Canceled'],
    [grpc.status.UNAUTHENTICATED, 'Unauthenticated'],
  ])('names gRPC code %i as Go does: %s', (code, name) => {
    expect(goCodeName(code)).toBe(name);
  });

  it("prints Go's gRPC status error, the text upstream kubelet quotes in events", () => {
    const err = new CriError('RunPodSandbox', grpc.status.UNKNOWN, 'failed to get sandbox runtime: no runtime for "kata" is configured');
    expect(err.message).toBe('rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "kata" is configured');
    expect(err).toMatchObject({ method: 'RunPodSandbox', code: grpc.status.UNKNOWN });
    expect(isCriNotFound(new CriError('ContainerStatus', grpc.status.NOT_FOUND, 'x'))).toBe(true);
  });
});
