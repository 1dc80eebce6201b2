/**
 * Runs one probe or lifecycle handler (upstream `prober`): exec through the runtime (exit 0 =
 * success), httpGet (2xx/3xx = success), tcpSocket (connect = success) and grpc (the health
 * protocol answers SERVING, see ./grpc-probe.ts), each bounded by
 * `timeoutSeconds`. Failure output uses the kubelet's wording, e.g.
 * `HTTP probe failed with statuscode: 500` or `dial tcp 10.244.0.5:80: connect: connection refused`.
 */
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { grpcProbe, type GrpcAction } from './grpc-probe.ts';

/** The action part of a probe or hook. */
export interface ProbeAction {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: GrpcAction;
}

/** The outcome of one probe run. */
export interface ProbeOutcome {
  success: boolean;
  output: string;
}

/** Where a probe runs. */
export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  podIP: string;
  timeoutSeconds: number;
}

/** Resolves a numeric or named container port. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function errnoText(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connect: connection refused';
  if (err.code === 'EHOSTUNREACH') return 'connect: no route to host';
  if (err.code === 'ETIMEDOUT' || err.message === 'timeout') return 'i/o timeout';
  return err.message;
}

async function httpProbe(action: NonNullable<ProbeAction['httpGet']>, target: ProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(action.port, target.container);
  if (port === undefined) return { success: false, output: `port "${action.port}" not found in container ${target.container.name}` };
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const host = action.host || target.podIP;
  const path = action.path || '/';
  const url = `${scheme}://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.33', accept: '*/*' };
  for (const h of action.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  return new Promise((resolve) => {
    const req = (scheme === 'https' ? httpsRequest : request)(url, { method: 'GET', headers, timeout: target.timeoutSeconds * 1000, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { success: true, output: '' } : { success: false, output: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const text = err.code === 'ETIMEDOUT' ? `context deadline exceeded (Client.Timeout exceeded while awaiting headers)` : `dial tcp ${host}:${port}: ${errnoText(err)}`;
      resolve({ success: false, output: `Get "${url}": ${text}` });
    });
    req.end();
  });
}

async function tcpProbe(action: NonNullable<ProbeAction['tcpSocket']>, target: ProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(action.port, target.container);
  if (port === undefined) return { success: false, output: `port "${action.port}" not found in container ${target.container.name}` };
  const host = action.host || target.podIP;
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: target.timeoutSeconds * 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ success: true, output: '' });
    });
    socket.once('timeout', () => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ success: false, output: `dial tcp ${host}:${port}: ${errnoText(err)}` }));
  });
}

/** Runs the action once. */
export async function runProbe(action: ProbeAction, target: ProbeTarget): Promise<ProbeOutcome> {
  if (action.exec) {
    try {
      const res = await target.runtime.exec(target.containerId, action.exec.command ?? [], target.timeoutSeconds);
      const output = `${res.stdout}${res.stderr}`;
      return { success: res.exitCode === 0, output: res.exitCode === 0 ? output : output || `command ${JSON.stringify((action.exec.command ?? []).join(' '))} exited with ${res.exitCode}` };
    } catch (err) {
      return { success: false, output: (err as Error).message };
    }
  }
  if (action.httpGet) return httpProbe(action.httpGet, target);
  if (action.tcpSocket) return tcpProbe(action.tcpSocket, target);
  if (action.grpc) return grpcProbe(action.grpc, target.podIP, target.timeoutSeconds);
  return { success: false, output: 'probe has no handler' };
}
