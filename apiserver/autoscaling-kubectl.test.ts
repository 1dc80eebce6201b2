/**
 * HorizontalPodAutoscaler through real kubectl (the oldest and newest installed minor,
 * `KUBECTL_RANGE_ENDS`, each against its own in-process control plane without controllers): the
 * kubernetes.io "HorizontalPodAutoscaler Walkthrough" steps (`kubectl create deployment` and
 * `kubectl autoscale … --cpu-percent=50 --min=1 --max=10`), `kubectl get hpa` with upstream's
 * columns before any status (`cpu: <unknown>/50%`) and after a `/status` patch (`cpu: 42%/50%`, no
 * generation, as upstream's strategy sets none), an autoscaling/v2 manifest with a behavior and a memory
 * AverageValue (re-applied unchanged) read back as autoscaling/v1 with the round-trip annotations,
 * a 422 with upstream's text, `kubectl get all`, and `kubectl describe hpa`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-autoscaling-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
const NS = 'hpa-example';
/** The autoscaling version each kubectl's `autoscale` writes with. */
const AUTOSCALE_VERSION: Record<string, string> = { '1.27': 'v1', '1.33': 'v2' };

const WEB_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 8
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 60
  - type: Resource
    resource:
      name: memory
      target:
        type: AverageValue
        averageValue: 500Mi
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 120
      policies:
      - type: Pods
        value: 1
        periodSeconds: 60
`;

const BAD_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 5
  maxReplicas: 3
`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and HorizontalPodAutoscaler', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
  const ns = (...args: string[]) => ['-n', NS, ...args];

  beforeAll(async () => {
    cp = await startTestControlPlane();
    await cp.client.namespaces.create({ metadata: { name: NS } });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('autoscales a deployment as the walkthrough does and lists it with upstream\'s columns', async () => {
    expect(await ok(ns('create', 'deployment', 'php-apache', '--image=registry.k8s.io/hpa-example'))).toBe('deployment.apps/php-apache created\n');
    expect(await ok(ns('autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10'))).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');
    // kubectl 1.33 creates it through autoscaling/v2 (as protobuf), falling back to v1 only when v2 refuses it.
    expect(await ok(ns('get', 'hpa', 'php-apache', '-o', 'jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].apiVersion}'))).toBe(`kubectl-autoscale autoscaling/${AUTOSCALE_VERSION[minor]}`);
    const t = table(await ok(ns('get', 'hpa')));
    expect(t.header).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(t.row('php-apache')?.slice(0, 6)).toEqual(['php-apache', 'Deployment/php-apache', 'cpu: <unknown>/50%', '1', '10', '0']);
    expect(await ok(ns('get', 'horizontalpodautoscalers', '-o', 'name'))).toBe('horizontalpodautoscaler.autoscaling/php-apache\n');
    const yaml = await ok(ns('get', 'hpa', 'php-apache', '-o', 'yaml'));
    expect(yaml).toMatch(/^apiVersion: autoscaling\/v2\n/);
    expect(yaml).toContain('spec:\n  maxReplicas: 10\n  metrics:\n  - resource:\n      name: cpu\n      target:\n        averageUtilization: 50\n        type: Utilization\n    type: Resource\n  minReplicas: 1\n');
    expect(yaml).toContain('  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: php-apache\n');
    expect(yaml).toMatch(/\nstatus:\n {2}currentMetrics: null\n {2}desiredReplicas: 0\n$/);
  });

  it('takes status only through /status, keeps no generation (as upstream), and lists HPAs in `get all`', async () => {
    const status = { status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42, averageValue: '21m' } } }] } };
    await ok(ns('patch', 'hpa', 'php-apache', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)));
    expect(table(await ok(ns('get', 'hpa'))).row('php-apache')?.slice(2, 6)).toEqual(['cpu: 42%/50%', '1', '10', '2']);
    expect(await ok(ns('get', 'hpa', 'php-apache', '-o', 'jsonpath={.metadata.generation}'))).toBe('');
    await ok(ns('patch', 'hpa', 'php-apache', '--type=merge', '-p', '{"spec":{"maxReplicas":5},"status":{"desiredReplicas":9}}'));
    expect(await ok(ns('get', 'hpa', 'php-apache', '-o', 'jsonpath={.metadata.generation} {.spec.maxReplicas} {.status.desiredReplicas}'))).toBe(' 5 2');
    expect(await ok(ns('get', 'horizontalpodautoscalers.v1.autoscaling', 'php-apache', '-o', 'jsonpath={.status.currentCPUUtilizationPercentage}'))).toBe('42');
    expect(await ok(ns('get', 'all', '-o', 'name'))).toContain('horizontalpodautoscaler.autoscaling/php-apache\n');
    await ok(ns('patch', 'hpa', 'php-apache', '--type=merge', '-p', '{"spec":{"maxReplicas":10}}'));
  });

  it('applies a v2 manifest with a behavior and a memory AverageValue, and serves it as autoscaling/v1 with the round-trip annotations', async () => {
    expect(await ok(ns('apply', '-f', '-'), { stdin: WEB_HPA })).toBe('horizontalpodautoscaler.autoscaling/web created\n');
    expect(await ok(ns('apply', '-f', '-'), { stdin: WEB_HPA })).toBe('horizontalpodautoscaler.autoscaling/web unchanged\n');
    expect(table(await ok(ns('get', 'hpa', 'web'))).row('web')?.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/60%, memory: <unknown>/500Mi', '2', '8', '0']);
    expect(await ok(ns('get', 'hpa', 'web', '-o', 'jsonpath={.spec.behavior.scaleUp.policies[*].type} {.spec.behavior.scaleDown.selectPolicy} {.spec.behavior.scaleDown.stabilizationWindowSeconds}'))).toBe('Pods Percent Max 120');
    // The full resource name: kubectl 1.33's short-name expansion drops the version of
    // `hpa.v1.autoscaling` (it asks for the preferred autoscaling/v2), as it does against upstream.
    const v1 = await ok(ns('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'yaml'));
    expect(v1).toMatch(/^apiVersion: autoscaling\/v1\n/);
    expect(v1).toContain('    autoscaling.alpha.kubernetes.io/metrics: \'[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]\'\n');
    expect(v1).toContain('    autoscaling.alpha.kubernetes.io/behavior: \'{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":120,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":60}],"Tolerance":null}}\'\n');
    expect(v1).toContain('spec:\n  maxReplicas: 8\n  minReplicas: 2\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  targetCPUUtilizationPercentage: 60\nstatus:\n  currentReplicas: 0\n  desiredReplicas: 0\n');
    expect(await ok(ns('get', 'hpa', 'web', '-o', 'jsonpath={.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/metrics}'))).toBe('');
    expect(await ok(ns('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'jsonpath={.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/metrics}'))).toBe('[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]');
  });

  it('refuses maxReplicas below minReplicas with 422 and upstream\'s message', async () => {
    const bad = await run(ns('apply', '-f', '-'), { stdin: BAD_HPA });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('The HorizontalPodAutoscaler "bad" is invalid: spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`\n');
  });

  it('describes an HPA', async () => {
    const out = await ok(ns('describe', 'hpa', 'php-apache'));
    expect(out).toMatch(/^Name:\s+php-apache$/m);
    expect(out).toMatch(/^Namespace:\s+hpa-example$/m);
    expect(out).toMatch(/^Reference:\s+Deployment\/php-apache$/m);
    expect(out).toMatch(/^Metrics:\s+\( current \/ target \)$/m);
    expect(out).toMatch(/^\s+resource cpu on pods\s+\(as a percentage of request\):\s+42% \(21m\) \/ 50%$/m);
    expect(out).toMatch(/^Min replicas:\s+1$/m);
    expect(out).toMatch(/^Max replicas:\s+10$/m);
    expect(out).toMatch(/^Deployment pods:\s+2 current \/ 2 desired$/m);
  });
});
