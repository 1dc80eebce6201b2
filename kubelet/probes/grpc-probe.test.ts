/**
 * The gRPC probe against a real gRPC server (grpc-js, on loopback) that implements the health
 * protocol for some services, and one that does not implement it at all.
 */
import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, grpcProbe } from './grpc-probe.ts';

const STATUS: Record<string, number> = { '': 1, ready: 1, draining: 2 };
let health: grpc.Server;
let other: grpc.Server;
let healthPort = 0;
let otherPort = 0;

const decodeService = (buf: Buffer): { service: string } => ({ service: buf.length > 2 ? buf.subarray(2, 2 + buf[1]!).toString() : '' });
const encodeStatus = (status: number): Buffer => (status ? Buffer.from([0x08, status]) : Buffer.alloc(0));

function listen(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
}

beforeAll(async () => {
  health = new grpc.Server();
  health.addService(
    { Check: { path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false, requestSerialize: encodeHealthCheckRequest, requestDeserialize: decodeService, responseSerialize: encodeStatus, responseDeserialize: decodeHealthCheckResponse } },
    {
      Check: (call: grpc.ServerUnaryCall<{ service: string }, number>, callback: grpc.sendUnaryData<number>) => {
        const status = STATUS[call.request.service];
        if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        else callback(null, status);
      },
    },
  );
  other = new grpc.Server();
  [healthPort, otherPort] = await Promise.all([listen(health), listen(other)]);
});

afterAll(() => {
  health?.forceShutdown();
  other?.forceShutdown();
});

describe('grpcProbe', () => {
  it('is healthy when the service answers SERVING', async () => {
    expect(await grpcProbe({ port: healthPort }, '127.0.0.1', 1)).toEqual({ success: true, output: 'service healthy' });
    expect(await grpcProbe({ port: healthPort, service: 'ready' }, '127.0.0.1', 1)).toEqual({ success: true, output: 'service healthy' });
  });

  it("fails in the kubelet's words: not serving, an error status, no health service, nobody listening", async () => {
    expect(await grpcProbe({ port: healthPort, service: 'draining' }, '127.0.0.1', 1)).toEqual({ success: false, output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(await grpcProbe({ port: healthPort, service: 'nope' }, '127.0.0.1', 1)).toEqual({ success: false, output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
    expect((await grpcProbe({ port: otherPort }, '127.0.0.1', 1)).output).toMatch(/^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
    // A port nobody listens on: the connection never comes up within the timeout.
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    expect(await grpcProbe({ port: free }, '127.0.0.1', 1)).toEqual({ success: false, output: `timeout: failed to connect service "127.0.0.1:${free}" within 1s: context deadline exceeded` });
  });
});
