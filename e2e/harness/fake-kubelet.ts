/**
 * Stands in for kubelets in control-plane journeys that have none: every pod in the watched
 * namespaces is given a node, a pod IP and a Running + Ready status, so controllers that wait
 * for readiness (Deployment rollouts) can finish. Not a kubelet: nothing runs.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { createClient } from '../../pkg/client/index.ts';

export interface FakeKubelet {
  stop(): Promise<void>;
}

function readyStatus(pod: Pod, ip: string): Pod['status'] {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const containers = pod.spec?.containers ?? [];
  return {
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    hostIP: '127.0.0.1',
    startTime: now,
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
    containerStatuses: containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
  } as Pod['status'];
}

/** Polls every 200 ms and marks not-yet-ready, not-terminating pods of `namespace` ready. */
export function startFakeKubelet(options: { kubeconfig: string; namespace: string }): FakeKubelet {
  const client = createClient({ kubeconfig: options.kubeconfig, qps: Infinity });
  const pods = client.pods.inNamespace(options.namespace);
  let stopped = false;
  let ips = 1;
  const loop = (async () => {
    while (!stopped) {
      try {
        for (const pod of (await pods.list()).items) {
          if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Running') continue;
          const ip = `10.244.0.${(ips++ % 250) + 2}`;
          await pods.updateStatus({ ...pod, status: readyStatus(pod, ip) }).catch(() => undefined);
        }
      } catch {
        // the namespace may be going away; try again
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.close();
    },
  };
}
