/** The Pod printer: READY, STATUS (upstream printPod rules), RESTARTS, AGE; wide IP, NODE, … */
import type { KubeObject } from '../meta.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, isObject, num, since, str } from './format.ts';
import type { Printer } from './printer.ts';

type Json = Record<string, unknown>;

function latest(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || !b) return a;
  return !a || Date.parse(b) > Date.parse(a) ? b : a;
}

function exitReason(prefix: string, terminated: Json): string {
  const signal = num(terminated.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(terminated.exitCode)}`;
}

function conditionTrue(pod: KubeObject, type: string): boolean {
  return arr(get(pod, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

/** STATUS, READY and RESTARTS of a pod as `kubectl get pods` shows them. */
export function podStatusColumns(pod: KubeObject, now: Date): { ready: string; status: string; restarts: string } {
  const status = isObject(pod.status) ? pod.status : {};
  const spec = isObject(pod.spec) ? pod.spec : {};
  // Sidecars (init containers with restartPolicy Always) count as containers of the pod.
  const initSpecs = arr(spec.initContainers);
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  const totalContainers = arr(spec.containers).length + sidecars.size;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason = str(status.reason) || str(status.phase);
  if (arr(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initStatuses = arr(status.initContainerStatuses);
  const initCount = initSpecs.length;
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += num(c.restartCount);
    lastRestart = latest(lastRestart, get(c, 'lastState', 'terminated', 'finishedAt'));
    const sidecar = sidecars.has(str(c.name));
    if (sidecar) {
      sidecarRestarts += num(c.restartCount);
      lastSidecarRestart = latest(lastSidecarRestart, get(c, 'lastState', 'terminated', 'finishedAt'));
    }
    const terminated = get(c, 'state', 'terminated');
    const waiting = get(c, 'state', 'waiting');
    if (isObject(terminated) && num(terminated.exitCode) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready === true) readyContainers++;
      continue;
    }
    if (isObject(terminated)) {
      reason = str(terminated.reason) ? `Init:${str(terminated.reason)}` : exitReason('Init:', terminated);
    } else if (isObject(waiting) && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += num(c.restartCount);
      lastRestart = latest(lastRestart, get(c, 'lastState', 'terminated', 'finishedAt'));
      const waiting = get(c, 'state', 'waiting');
      const terminated = get(c, 'state', 'terminated');
      if (isObject(waiting) && str(waiting.reason)) reason = str(waiting.reason);
      else if (isObject(terminated) && str(terminated.reason)) reason = str(terminated.reason);
      else if (isObject(terminated)) reason = exitReason('', terminated);
      else if (c.ready === true && isObject(get(c, 'state', 'running'))) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = str(status.phase);
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText };
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 0, 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 0, 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 0, 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    col('IP', 'string', 1, 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    col('Node', 'string', 1, 'NodeName is a request to schedule this pod onto a specific node.'),
    col('Nominated Node', 'string', 1, 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
    col('Readiness Gates', 'string', 1, 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  row(pod, now) {
    const { ready, status, restarts } = podStatusColumns(pod, now);
    const podIPs = arr(get(pod, 'status', 'podIPs'));
    const ip = str(podIPs[0]?.ip) || str(get(pod, 'status', 'podIP')) || '<none>';
    const gates = arr(get(pod, 'spec', 'readinessGates'));
    let gatesText = '<none>';
    if (gates.length) {
      const conditions = arr(get(pod, 'status', 'conditions'));
      const trueCount = gates.filter((g) => conditions.some((c) => c.type === g.conditionType && c.status === 'True')).length;
      gatesText = `${trueCount}/${gates.length}`;
    }
    return [pod.metadata.name ?? '', ready, status, restarts, age(pod, now), ip, str(get(pod, 'spec', 'nodeName')) || '<none>', str(get(pod, 'status', 'nominatedNodeName')) || '<none>', gatesText];
  },
};
