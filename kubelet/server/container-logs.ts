/**
 * `GET /containerLogs/{namespace}/{pod}/{container}` of the kubelet API: finds the container's
 * CRI log file (current or `previous` attempt), renders it with the PodLogOptions, and with
 * `follow=true` keeps streaming appended lines until the container stops or the client leaves.
 * Errors are plain-text 4xx bodies with the kubelet's messages (the API server turns them into
 * a Status).
 */
import { access, open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isRestartableInitContainer } from '../../pkg/api/core/v1/pod-container.ts';
import { latestContainer, shouldRestart } from '../pods/actions.ts';
import { containerLogDirectory } from '../pods/sandbox-config.ts';
import type { ContainerRuntime, RuntimeContainer } from '../runtime/types.ts';
import { renderLog, type LogFilter } from './cri-log.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';

/** What the handler reads. */
export interface ContainerLogDeps {
  pod(namespace: string, name: string): Pod | undefined;
  runtime: ContainerRuntime;
  logRoot: string;
  /** Follow poll interval (default 200 ms). */
  pollMs?: number;
}

class LogRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function filterFrom(query: URLSearchParams): LogFilter {
  const num = (k: string) => (query.has(k) ? Number(query.get(k)) : undefined);
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  return {
    timestamps: queryBool(query.get('timestamps')),
    tailLines: num('tailLines'),
    limitBytes: num('limitBytes'),
    sinceMs: sinceTime ? Date.parse(sinceTime) : sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : undefined,
  };
}

/**
 * The log file a request reads and the runtime container it belongs to; none for a previous
 * attempt the runtime no longer has (its state was lost: `k8ts down`, a reboot), whose log file
 * outlived it.
 */
async function locate(deps: ContainerLogDeps, namespace: string, name: string, container: string, previous: boolean): Promise<{ path: string; c?: RuntimeContainer }> {
  const pod = deps.pod(namespace, name);
  if (!pod) throw new LogRequestError(404, `pod "${name}" not found`);
  if (![...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].some((c) => c.name === container)) {
    throw new LogRequestError(400, `container ${container} is not valid for pod ${name}`);
  }
  const runtime = await deps.runtime.getPod(pod.metadata.uid as string);
  const latest = latestContainer(runtime, undefined, container);
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container);
  const latestRestarts = latest?.state === 'exited' && restartsAfter(pod, container, latest.exitCode);
  const chosen = previous ? previousContainer(runtime?.containers ?? [], container, latest, status?.lastState?.terminated?.containerID, latestRestarts) : latest;
  const logDir = containerLogDirectory(deps.logRoot, pod, container);
  if (!chosen) {
    if (previous) {
      // The runtime lost the earlier attempts, but their logs are kept per attempt number.
      const attempt = (latest?.restartCount ?? 0) - 1;
      if (attempt >= 0 && (await access(`${logDir}/${attempt}.log`).then(() => true, () => false))) return { path: `${logDir}/${attempt}.log` };
      throw new LogRequestError(400, `previous terminated container "${container}" in pod "${name}" not found`);
    }
    const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
    throw new LogRequestError(400, `container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
  }
  return { path: `${logDir}/${chosen.restartCount}.log`, c: chosen };
}

/**
 * The container `previous=true` reads (upstream: the status's `lastState.terminated` container).
 * That is the one the pod's status names, when the runtime still has it — in a crash loop, the
 * newest dead container, which the container garbage collector keeps. When the status (the API's
 * copy, which may lag the runtime) names one that is gone: the latest attempt if it exited and
 * will be restarted (what the next status names), otherwise the newest of the other attempts.
 */
export function previousContainer(containers: readonly RuntimeContainer[], name: string, latest: RuntimeContainer | undefined, lastTerminatedId: string | undefined, latestRestarts = false): RuntimeContainer | undefined {
  const all = containers.filter((c) => c.name === name).sort((a, b) => b.restartCount - a.restartCount || b.createdAtMs - a.createdAtMs);
  const named = lastTerminatedId ? all.find((c) => lastTerminatedId.endsWith(`://${c.id}`)) : undefined;
  if (named) return named;
  if (latest?.state === 'exited' && latestRestarts) return latest;
  return all.find((c) => c !== latest);
}

/** Whether an exited `container` of `pod` is started again (sidecars always; others per the pod's restartPolicy). */
function restartsAfter(pod: Pod, container: string, exitCode: number): boolean {
  if ((pod.spec?.initContainers ?? []).some((c) => c.name === container && isRestartableInitContainer(c))) return true;
  if ((pod.spec?.ephemeralContainers ?? []).some((c) => c.name === container)) return false;
  return shouldRestart(pod.spec?.restartPolicy ?? 'Always', exitCode);
}

/** Serves one log request. */
export async function serveContainerLogs(deps: ContainerLogDeps, params: { namespace: string; pod: string; container: string }, query: URLSearchParams, res: ServerResponse): Promise<void> {
  let target;
  try {
    target = await locate(deps, params.namespace, params.pod, params.container, queryBool(query.get('previous')));
  } catch (err) {
    if (!(err instanceof LogRequestError)) throw err;
    res.writeHead(err.code, { 'content-type': 'text/plain' }).end(err.message);
    return;
  }
  const filter = filterFrom(query);
  const follow = queryBool(query.get('follow'));
  const file = await open(target.path, 'r').catch(() => undefined);
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  if (!file) {
    res.end();
    return;
  }
  let closed = false;
  res.on('close', () => (closed = true));
  try {
    let position = 0;
    let carry = '';
    let written = 0;
    const readNew = async (first: boolean) => {
      const { size } = await file.stat();
      if (size <= position) return;
      const buf = Buffer.alloc(size - position);
      await file.read(buf, 0, buf.length, position);
      position = size;
      const { output, rest } = renderLog(carry + buf.toString(), first ? filter : { ...filter, tailLines: undefined });
      carry = rest;
      const limit = filter.limitBytes !== undefined ? filter.limitBytes - written : Infinity;
      const out = limit < Buffer.byteLength(output) ? Buffer.from(output).subarray(0, Math.max(0, limit)).toString() : output;
      written += Buffer.byteLength(out);
      if (out) res.write(out);
    };
    await readNew(true);
    while (follow && !closed && (filter.limitBytes === undefined || written < filter.limitBytes)) {
      await new Promise((r) => setTimeout(r, deps.pollMs ?? 200));
      await readNew(false);
      const current = (await deps.runtime.listPods()).flatMap((p) => p.containers).find((c) => c.id === target.c?.id);
      if (!current || current.state !== 'running') {
        await readNew(false);
        break;
      }
    }
  } finally {
    await file.close();
    res.end();
  }
}
