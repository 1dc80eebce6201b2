/**
 * Kubelet streaming endpoints (upstream `/exec/{ns}/{pod}/{container}`,
 * `/attach/{ns}/{pod}/{container}`, `/portForward/{ns}/{pod}`): resolve the running container
 * (or sandbox), ask the runtime for its streaming URL and proxy the client's SPDY/WebSocket
 * upgrade there. Query parameters follow the API server's (`command`, `stdin`, `stdout`,
 * `stderr`, `tty`, `ports`).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { proxyUpgrade, writeRawResponse } from '../../pkg/net/upgrade-proxy.ts';
import { latestContainer } from '../pods/actions.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';
import { decodePathSegments, parseRequestTarget } from '../../pkg/net/request-target.ts';

/** What the streaming handler reads. */
export interface StreamingDeps {
  pod(namespace: string, name: string): Pod | undefined;
  runtime: ContainerRuntime;
}

const PATH = /^\/(exec|attach|portForward)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/;

const flag = (q: URLSearchParams, name: string, short: string) => queryBool(q.get(name)) || queryBool(q.get(short));

/** Handles one upgrade request; false when the path is not a streaming endpoint. */
export async function handleStreamingUpgrade(deps: StreamingDeps, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
  const url = parseRequestTarget(req.url);
  const m = url && PATH.exec(url.pathname);
  if (!url || !m) return false;
  const text = (code: number, message: string) => writeRawResponse(socket, code, code === 404 ? 'Not Found' : 'Bad Request', message, { contentType: 'text/plain' });
  // Namespace, pod and (except for portForward) container.
  const decoded = decodePathSegments(m.slice(2).filter((x) => x !== undefined));
  if (!decoded) {
    text(400, `invalid URL escape in ${url.pathname}`);
    return true;
  }
  const kind = m[1]!;
  const [ns, name, containerName] = decoded as [string, string, string | undefined];
  const pod = deps.pod(ns, name);
  if (!pod) {
    text(404, `pod "${name}" not found`);
    return true;
  }
  const runtime = await deps.runtime.getPod(pod.metadata.uid as string);
  try {
    if (kind === 'portForward') {
      const sandbox = runtime?.sandboxes.find((s) => s.state === 'ready');
      if (!sandbox) return (text(400, `pod "${name}" has no running sandbox`), true);
      const ports = url.searchParams.getAll('port').concat(url.searchParams.getAll('ports')).flatMap((p) => p.split(',')).filter(Boolean).map(Number);
      await proxyUpgrade(req, socket, head, new URL(await deps.runtime.portForwardUrl(sandbox.id, ports)));
      return true;
    }
    const container = latestContainer(runtime, runtime?.sandboxes[0]?.id, containerName ?? '');
    if (!container || container.state !== 'running') {
      text(400, `container ${containerName} is not running in pod ${name}`);
      return true;
    }
    const q = url.searchParams;
    const target = await deps.runtime.streamUrl({
      kind: kind as 'exec' | 'attach',
      containerId: container.id,
      command: q.getAll('command'),
      tty: flag(q, 'tty', 'tty'),
      stdin: flag(q, 'stdin', 'input'),
      stdout: flag(q, 'stdout', 'output'),
      stderr: flag(q, 'stderr', 'error'),
    });
    await proxyUpgrade(req, socket, head, new URL(target));
  } catch (err) {
    text(400, (err as Error).message);
  }
  return true;
}
