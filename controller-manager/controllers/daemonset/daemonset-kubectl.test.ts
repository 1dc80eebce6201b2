/**
 * DaemonSets through real kubectl (the oldest and newest installed minor, `KUBECTL_RANGE_ENDS`)
 * against the in-process control plane running the daemonset and garbage collector controllers:
 * the fluentd-elasticsearch manifest from the Kubernetes docs applied to kube-system, `kubectl get
 * ds` (and -o wide) with upstream's columns, `kubectl rollout status/history/undo`, a legacy
 * extensions/v1beta1 manifest read back as apps/v1, and upstream's 422 for restartPolicy Never. A
 * loop stands in for the kubelet and marks pods ready.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectl } from '../../../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-ds-kubectl-'));
const NS = 'ds-kubectl';
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
const newest = minors.at(-1);
let cp: TestControlPlane;
let kubeletStand: ReturnType<typeof setInterval> | undefined;

const IMAGE_V1 = 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2';
const IMAGE_V2 = 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0';

/** The DaemonSet example of kubernetes.io/docs/concepts/workloads/controllers/daemonset/. */
const FLUENTD = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      # these tolerations are to have the daemonset runnable on control plane nodes
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: ${IMAGE_V1}
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
`;

/** Marks every pod of the test's namespaces Running and Ready, as a kubelet would. */
async function markPodsReady(): Promise<void> {
  for (const namespace of ['kube-system', NS]) {
    const list = await cp.client.pods.inNamespace(namespace).list();
    for (const pod of list.items) {
      if (pod.metadata.deletionTimestamp || pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      await cp.client.pods.inNamespace(namespace).patch(pod.metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' }).catch(() => undefined);
    }
  }
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['daemonset', 'garbagecollector'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
  await cp.client.nodes.create({ metadata: { name: 'control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } } as never);
  await cp.client.nodes.create({ metadata: { name: 'worker' } } as never);
  let busy = false;
  kubeletStand = setInterval(() => {
    if (busy) return;
    busy = true;
    markPodsReady().catch(() => undefined).finally(() => (busy = false));
  }, 100);
});

afterAll(async () => {
  if (kubeletStand) clearInterval(kubeletStand);
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!minors.length).each(minors)('kubectl %s and DaemonSets', (minor) => {
  const run = (...args: string[]) => kubectl(minor, args, { kubeconfig: cp.kubeconfigPath, home: dir });
  const ok = async (...args: string[]) => {
    const res = await run(...args);
    expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
    return res.stdout;
  };
  const name = `k${minor.replace('.', '')}`;
  const file = join(dir, `fluentd-${name}.yaml`);
  const ds = ['-n', 'kube-system', 'ds/fluentd-elasticsearch'];

  it('applies the docs manifest in kube-system and prints upstream columns', async () => {
    writeFileSync(file, FLUENTD);
    expect(await ok('apply', '-f', file)).toBe('daemonset.apps/fluentd-elasticsearch created\n');
    await waitFor('2 ready pods in the status', async () => {
      const ds = await cp.client.daemonSets.inNamespace('kube-system').get('fluentd-elasticsearch');
      return ds.status?.numberAvailable === 2 && ds.status.updatedNumberScheduled === 2;
    });
    const get = await ok('get', 'ds', '-n', 'kube-system');
    expect(get).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nfluentd-elasticsearch\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s\n$/);
    const wide = await ok('get', 'daemonsets', 'fluentd-elasticsearch', '-n', 'kube-system', '-o', 'wide');
    expect(wide).toMatch(new RegExp(`^NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+NODE SELECTOR\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR\\nfluentd-elasticsearch\\s+2\\s+2\\s+2\\s+2\\s+2\\s+<none>\\s+\\d+s\\s+fluentd-elasticsearch\\s+${IMAGE_V1.replaceAll('.', '\\.')}\\s+name=fluentd-elasticsearch\\n$`));
    expect(await ok('apply', '-f', file)).toBe('daemonset.apps/fluentd-elasticsearch unchanged\n');
    expect(await ok('rollout', 'status', ...ds, '--timeout=30s')).toBe('daemon set "fluentd-elasticsearch" successfully rolled out\n');
  });

  it('rolls out a new image, shows the history and rolls back', async () => {
    expect(await ok('set', 'image', ...ds, `fluentd-elasticsearch=${IMAGE_V2}`)).toBe('daemonset.apps/fluentd-elasticsearch image updated\n');
    const status = await ok('rollout', 'status', ...ds, '--timeout=60s');
    expect(status).toMatch(/daemon set "fluentd-elasticsearch" successfully rolled out\n$/);
    const images = async () => (await cp.client.pods.inNamespace('kube-system').list({ labelSelector: 'name=fluentd-elasticsearch' })).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec?.containers?.[0]?.image);
    await waitFor('both pods on v2', async () => JSON.stringify(await images()) === JSON.stringify([IMAGE_V2, IMAGE_V2]));

    expect(await ok('rollout', 'history', ...ds)).toMatch(/^daemonset\.apps\/fluentd-elasticsearch \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n\n$/);
    const first = await ok('rollout', 'history', ...ds, '--revision=1');
    expect(first).toMatch(/^daemonset\.apps\/fluentd-elasticsearch with revision #1\nPod Template:\n\s+Labels:\s+name=fluentd-elasticsearch\n/);
    expect(first).toMatch(new RegExp(`Image:\\s+${IMAGE_V1.replaceAll('.', '\\.')}\\n`));

    expect(await ok('rollout', 'undo', ...ds)).toBe('daemonset.apps/fluentd-elasticsearch rolled back\n');
    expect(await ok('rollout', 'status', ...ds, '--timeout=60s')).toMatch(/daemon set "fluentd-elasticsearch" successfully rolled out\n$/);
    await waitFor('both pods back on v1', async () => JSON.stringify(await images()) === JSON.stringify([IMAGE_V1, IMAGE_V1]));
    expect(await ok('get', ...ds, '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe(IMAGE_V1);
    expect(await ok('rollout', 'history', ...ds)).toMatch(/^daemonset\.apps\/fluentd-elasticsearch \nREVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n\n$/);
    // kubectl compares its own rendering of the template with the revision's bytes.
    expect(await ok('rollout', 'undo', ...ds, '--to-revision=3')).toBe('daemonset.apps/fluentd-elasticsearch skipped rollback (current template already matches revision 3)\n');
    const revisions = await ok('get', 'controllerrevisions', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch');
    expect(revisions).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE\nfluentd-elasticsearch-[a-z0-9]+\s+daemonset\.apps\/fluentd-elasticsearch\s+[23]\s+\d+s\nfluentd-elasticsearch-[a-z0-9]+\s+daemonset\.apps\/fluentd-elasticsearch\s+[23]\s+\d+s\n$/);

    expect(await ok('delete', '-f', file)).toBe('daemonset.apps "fluentd-elasticsearch" deleted\n');
    await waitFor('pods and revisions collected', async () => {
      const pods = await cp.client.pods.inNamespace('kube-system').list({ labelSelector: 'name=fluentd-elasticsearch' });
      const crs = await run('get', 'controllerrevisions', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch', '-o', 'name');
      return pods.items.length === 0 && crs.stdout === '';
    }, { timeoutMs: 20_000 });
  });

  it('serves a legacy extensions/v1beta1 manifest and reads it back as apps/v1', async () => {
    const legacy = join(dir, `legacy-${name}.yaml`);
    writeFileSync(legacy, `apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata:\n  name: legacy-${name}\n  namespace: ${NS}\nspec:\n  template:\n    metadata:\n      labels:\n        app: legacy-${name}\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n`);
    const applied = await run('apply', '-f', legacy);
    expect(applied.stdout, applied.stderr).toBe(`daemonset.extensions/legacy-${name} created\n`);
    expect(await ok('get', 'ds', `legacy-${name}`, '-n', NS, '-o', 'jsonpath={.apiVersion} {.spec.selector.matchLabels.app} {.spec.updateStrategy.type} {.metadata.labels.app}')).toBe(`apps/v1 legacy-${name} OnDelete legacy-${name}`);
    expect(await ok('get', `daemonsets.v1beta1.extensions/legacy-${name}`, '-n', NS, '-o', 'jsonpath={.apiVersion} {.spec.templateGeneration}')).toBe('extensions/v1beta1 1');
    await waitFor('legacy pods', async () => (await cp.client.daemonSets.inNamespace(NS).get(`legacy-${name}`)).status?.currentNumberScheduled === 1);
    expect(await ok('delete', '-f', legacy)).toMatch(new RegExp(`^daemonset\\.extensions "legacy-${name}" deleted\\n$`));
  });

  it('refuses restartPolicy Never with upstream\'s 422', async () => {
    const bad = join(dir, `bad-${name}.yaml`);
    writeFileSync(bad, FLUENTD.replace('name: fluentd-elasticsearch\n  namespace: kube-system', `name: bad-${name}\n  namespace: ${NS}`).replace('      terminationGracePeriodSeconds: 30', '      restartPolicy: Never'));
    const res = await run('apply', '-f', bad);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toBe(`The DaemonSet "bad-${name}" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n`);
  });

  it.runIf(minor === newest)('rollout status waits for the pods of a new template', async () => {
    const file2 = join(dir, `exporter-${name}.yaml`);
    writeFileSync(file2, `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: node-exporter\n  namespace: ${NS}\nspec:\n  selector:\n    matchLabels:\n      app: node-exporter\n  template:\n    metadata:\n      labels:\n        app: node-exporter\n    spec:\n      hostNetwork: true\n      containers:\n      - name: node-exporter\n        image: prom/node-exporter:v1.8.0\n`);
    if (kubeletStand) clearInterval(kubeletStand);
    kubeletStand = undefined;
    try {
      await ok('apply', '-f', file2);
      const waiting = run('rollout', 'status', 'ds/node-exporter', '-n', NS, '--timeout=30s');
      await new Promise((r) => setTimeout(r, 1500));
      await markPodsReady();
      const res = await waiting;
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^(Waiting for daemon set "node-exporter" rollout to finish: \d of 1 updated pods are available\.\.\.\n)+daemon set "node-exporter" successfully rolled out\n$/);
      const onDelete = await run('patch', 'ds/node-exporter', '-n', NS, '-p', '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}');
      expect(onDelete.code, onDelete.stderr).toBe(0);
      const refused = await run('rollout', 'status', 'ds/node-exporter', '-n', NS, '--timeout=5s');
      expect(refused.stderr).toBe('error: rollout status is only available for RollingUpdate strategy type\n');
    } finally {
      await run('delete', '-f', file2);
    }
  });
});
