/**
 * The gRPC probe (upstream `pkg/probe/grpc`): one `grpc.health.v1.Health/Check` call for the
 * probe's `service` to `<pod IP>:<port>` over plaintext, within `timeoutSeconds` for connecting
 * and for the call. Healthy only when the answer is SERVING; every failure says why in the
 * kubelet's words (`service unhealthy (responded with "NOT_SERVING")`, `timeout: failed to connect
 * service "10.244.0.5:9000" within 1s: …`, `error: this server does not implement the grpc health
 * protocol (grpc.health.v1.Health): …`). The two health messages are one field each: the request is
 * written with protobufjs's writer, the answer read with the shared protobuf wire reader.
 */
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { WireReader } from '../../pkg/protobuf/wire.ts';
import { formatDuration } from '../../pkg/util/duration.ts';

/** The probe's action (`spec.containers[].livenessProbe.grpc`). */
export interface GrpcAction {
  port: number;
  service?: string;
}

/** grpc.health.v1 HealthCheckResponse.ServingStatus names by number. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
const CHECK = '/grpc.health.v1.Health/Check';

/** HealthCheckRequest { string service = 1 } (an empty service is no field at all, as proto3 writes it). */
export function encodeHealthCheckRequest(request: { service: string }): Buffer {
  if (!request.service) return Buffer.alloc(0);
  // Field 1, wire type 2 (length-delimited).
  return Buffer.from(protobuf.Writer.create().uint32((1 << 3) | 2).string(request.service).finish());
}

/** HealthCheckResponse { ServingStatus status = 1 }: the status number (0 when absent); other fields skipped. */
export function decodeHealthCheckResponse(buf: Buffer): number {
  const reader = new WireReader(buf);
  let status = 0;
  while (!reader.done) {
    const field = reader.field();
    if (field.number === 1 && field.wireType === 0) status = Number(field.value);
  }
  return status;
}

/** Runs the probe against `host` (the pod IP). */
export function grpcProbe(action: GrpcAction, host: string, timeoutSeconds: number): Promise<{ success: boolean; output: string }> {
  const addr = host.includes(':') ? `[${host}]:${action.port}` : `${host}:${action.port}`;
  const timeout = formatDuration(timeoutSeconds * 1000);
  const client = new grpc.Client(addr, grpc.credentials.createInsecure(), { 'grpc.primary_user_agent': 'kube-probe/1.33', 'grpc.enable_retries': 0 });
  const deadline = () => Date.now() + timeoutSeconds * 1000;
  return new Promise<{ success: boolean; output: string }>((resolve) => {
    client.waitForReady(deadline(), (connectError) => {
      if (connectError) {
        resolve({ success: false, output: `timeout: failed to connect service "${addr}" within ${timeout}: context deadline exceeded` });
        return;
      }
      client.makeUnaryRequest(CHECK, encodeHealthCheckRequest, decodeHealthCheckResponse, { service: action.service ?? '' }, new grpc.Metadata(), { deadline: deadline() }, (err, status) => {
        if (err) {
          if (err.code === grpc.status.UNIMPLEMENTED) resolve({ success: false, output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}` });
          else if (err.code === grpc.status.DEADLINE_EXCEEDED) resolve({ success: false, output: `timeout: health rpc did not complete within ${timeout}` });
          else resolve({ success: false, output: `error: health rpc probe failed: rpc error: code = ${grpcCodeName(err.code)} desc = ${err.details}` });
          return;
        }
        if (status !== 1) resolve({ success: false, output: `service unhealthy (responded with "${SERVING_STATUS[status ?? 0] ?? String(status)}")` });
        else resolve({ success: true, output: 'service healthy' });
      });
    });
  }).finally(() => client.close());
}

/** Go's codes.Code String(): `Unavailable`, `PermissionDenied`, … */
function grpcCodeName(code: grpc.status): string {
  const name = grpc.status[code] ?? String(code);
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}
