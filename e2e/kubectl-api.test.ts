/**
 * The kubectl compatibility journey against a real control plane (etcd + `k8ts apiserver`
 * processes), run with every installed kubectl minor from 1.27 to 1.33 and default flags.
 * Controllers are not running here: only what the API alone decides is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl, type KubectlResult } from './harness/kubectl.ts';

const fixtures = fixturesDir;
const testdata = fileURLToPath(new URL('./testdata', import.meta.url));
const minors = installedKubectls(ALL_KUBECTL_MINORS);

let cp: E2EControlPlane;

beforeAll(async () => {
  cp = await startE2EControlPlane({ storage: 'etcd' });
}, 60_000);

afterAll(async () => {
  await cp?.stop();
});

describe.each(minors)('kubectl %s against k8ts apiserver', (minor) => {
  const ns = `compat-${minor.replace('.', '-')}`;
  let home: string;
  const run = (args: string[], extra: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> =>
    kubectl(minor, args, { kubeconfig: cp.kubeconfig, home, ...extra });
  const ok = async (args: string[], extra: Parameters<typeof run>[1] = {}): Promise<string> => {
    const res = await run(args, extra);
    expect(res.stderr, `kubectl ${args.join(' ')}`).not.toMatch(/error/i);
    expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
    return res.stdout;
  };

  beforeAll(async () => {
    home = cp.newHome();
    expect(await ok(['create', 'namespace', ns])).toContain(`namespace/${ns} created`);
  });

  it('serves version, namespaces and api-resources', async () => {
    expect(await ok(['version', '-o', 'json'])).toContain('"gitVersion": "v1.33');
    expect(await ok(['get', 'namespaces'])).toMatch(new RegExp(`${ns}\\s+Active\\s+\\d+s`));
    const resources = await ok(['api-resources']);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    expect(resources).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
  });

  it('applies a ConfigMap (create, update, unchanged) and reads it back in every output format', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(testdata, 'cm-v1.yaml')])).toContain('configmap/demo created');
    expect(await ok(['apply', '-n', ns, '-f', join(testdata, 'cm-v2.yaml')])).toContain('configmap/demo configured');
    expect(await ok(['apply', '-n', ns, '-f', join(testdata, 'cm-v2.yaml')])).toContain('configmap/demo unchanged');
    expect(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.data.a}'])).toBe('2');
    expect(await ok(['get', '-n', ns, 'cm', 'demo'])).toMatch(/^NAME\s+DATA\s+AGE\ndemo\s+2\s+\d+s\n$/);
    expect(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'wide'])).toMatch(/demo\s+2\s+\d+s/);
    const yamlOut = await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'yaml']);
    expect(yamlOut).toContain('kubectl.kubernetes.io/last-applied-configuration');
    expect(yamlOut).toMatch(/resourceVersion: "\d+"/);
    expect(yamlOut).toMatch(/uid: [0-9a-f-]{36}/);
    const json = JSON.parse(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'json']));
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: ns }, data: { a: '2', greeting: 'value-a' } });
    expect(await ok(['get', '-n', ns, 'cm', '-o', 'custom-columns=NAME:.metadata.name,A:.data.a'])).toMatch(/NAME\s+A\ndemo\s+2/);
  });

  it('describes, edits, labels, annotates and patches with all three patch types', async () => {
    const described = await ok(['describe', '-n', ns, 'configmap', 'demo']);
    expect(described).toMatch(/Name:\s+demo/);
    expect(described).toMatch(/Namespace:\s+compat-/);
    expect(await ok(['edit', '-n', ns, 'cm', 'demo'], { env: { EDITOR: 'sed -i s/value-a/value-e/' } })).toContain('configmap/demo edited');
    expect(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.data.greeting}'])).toBe('value-e');
    expect(await ok(['label', '-n', ns, 'cm', 'demo', 'tier=backend'])).toContain('configmap/demo labeled');
    expect(await ok(['get', '-n', ns, 'cm', '-l', 'tier=backend', '-o', 'name'])).toBe('configmap/demo\n');
    expect(await ok(['get', '-n', ns, 'cm', '-l', 'tier in (frontend)', '-o', 'name'])).toBe('');
    // kubectl 1.27/1.28 print "annotate" (their own wording), later minors "annotated".
    expect(await ok(['annotate', '-n', ns, 'cm', 'demo', 'owner=team-a'])).toMatch(/^configmap\/demo annotated?$/m);
    expect(await ok(['patch', '-n', ns, 'cm', 'demo', '-p', '{"data":{"b":"strategic"}}'])).toContain('configmap/demo patched');
    expect(await ok(['patch', '-n', ns, 'cm', 'demo', '--type', 'merge', '-p', '{"data":{"c":"merge"}}'])).toContain('configmap/demo patched');
    expect(await ok(['patch', '-n', ns, 'cm', 'demo', '--type', 'json', '-p', '[{"op":"add","path":"/data/d","value":"json"}]'])).toContain('configmap/demo patched');
    const data = JSON.parse(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.data}']));
    expect(data).toEqual({ a: '2', greeting: 'value-e', b: 'strategic', c: 'merge', d: 'json' });
    const meta = JSON.parse(await ok(['get', '-n', ns, 'cm', 'demo', '-o', 'jsonpath={.metadata}']));
    expect(meta.labels).toEqual({ tier: 'backend' });
    expect(meta.annotations.owner).toBe('team-a');
  });

  it('watches: kubectl get -w prints a ConfigMap created while it watches', async () => {
    const watch = run(['get', '-n', ns, 'cm', '-w'], { timeoutMs: 4000 });
    await new Promise((r) => setTimeout(r, 1500));
    await ok(['create', '-n', ns, 'configmap', 'watched', '--from-literal=k=v']);
    const res = await watch;
    expect(res.stdout).toMatch(/^demo\s+\d+\s+\d+s$/m);
    expect(res.stdout).toMatch(/^watched\s+1\s+\d+s$/m);
  });

  it('deletes with --wait and waits for deletion', async () => {
    expect(await ok(['delete', '-n', ns, 'cm', 'watched'])).toContain('configmap "watched" deleted');
    const missing = await run(['get', '-n', ns, 'cm', 'watched']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "watched" not found');
    await ok(['create', '-n', ns, 'configmap', 'doomed']);
    const waiting = run(['wait', '-n', ns, '--for=delete', 'cm/doomed', '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 1000));
    await ok(['delete', '-n', ns, 'cm', 'doomed', '--wait=false']);
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain('configmap/doomed condition met');
  });

  it('applies the my-nginx-app tutorial: Deployment and NodePort Service, scale, delete', async () => {
    const applied = await ok(['apply', '-n', ns, '-f', join(fixtures, 'my-nginx-app.yaml')]);
    expect(applied).toContain('deployment.apps/my-nginx-app-deployment created');
    expect(applied).toContain('service/my-nginx-app-svc created');
    expect(await ok(['get', '-n', ns, 'svc', 'my-nginx-app-svc'])).toMatch(/my-nginx-app-svc\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:32143\/TCP\s+\d+s/);
    expect(await ok(['get', '-n', ns, 'deploy'])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nmy-nginx-app-deployment\s+0\/3\s+0\s+0\s+\d+s/);
    expect(await ok(['scale', '-n', ns, 'deployment', 'my-nginx-app-deployment', '--replicas=5'])).toContain('deployment.apps/my-nginx-app-deployment scaled');
    expect(await ok(['get', '-n', ns, 'deploy', 'my-nginx-app-deployment', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
    expect(await ok(['get', '-n', ns, 'deploy', 'my-nginx-app-deployment', '-o', 'jsonpath={.metadata.generation}'])).toBe('2');
    // The scale subresource prints upstream's Scale columns (no controller here: nothing available).
    expect(await ok(['get', '-n', ns, 'deploy', 'my-nginx-app-deployment', '--subresource=scale'])).toMatch(/^NAME\s+DESIRED\s+AVAILABLE\s+AGE\nmy-nginx-app-deployment\s+5\s+0\s+\d+s\n$/);
    const deleted = await ok(['delete', '-n', ns, '-f', join(fixtures, 'my-nginx-app.yaml')]);
    expect(deleted).toContain('deployment.apps "my-nginx-app-deployment" deleted');
    expect(deleted).toContain('service "my-nginx-app-svc" deleted');
  });

  it.each([
    ['qos-guaranteed.yaml', 'qos-demo', 'Guaranteed'],
    ['qos-burstable.yaml', 'qos-demo-4', 'Burstable'],
  ])('creates the %s pod with its QoS class', async (file, name, qos) => {
    expect(await ok(['apply', '-n', ns, '-f', join(fixtures, file)])).toContain(`pod/${name} created`);
    expect(await ok(['get', '-n', ns, 'pod', name, '-o', 'jsonpath={.status.qosClass}'])).toBe(qos);
    const pods = await ok(['get', '-n', ns, 'pod', name]);
    expect(pods).toMatch(new RegExp(`^NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\n${name}\\s+0/\\d\\s+Pending\\s+0\\s+\\d+s`));
    if (qos === 'Guaranteed') {
      const yamlOut = await ok(['get', '-n', ns, 'pod', name, '-o', 'yaml']);
      expect(yamlOut).toMatch(/cpu: 700m/);
      expect(yamlOut).toMatch(/memory: 200Mi/);
    }
  });

  it('applies the other tutorial manifests unchanged', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(fixtures, 'whoami.yaml')])).toContain('service/whoami-service created');
    expect(await ok(['apply', '-n', ns, '-f', join(fixtures, 'webapp-two-ports.yaml')])).toContain('service/webapp created');
    expect(await ok(['get', '-n', ns, 'svc', 'webapp'])).toMatch(/webapp\s+ClusterIP\s+10\.\S+\s+<none>\s+8080\/TCP,8005\/TCP/);
    expect(await ok(['apply', '-n', ns, '-f', join(fixtures, 'web-site-two-containers.yaml')])).toContain('pod/web-site created');
    expect(await ok(['get', '-n', ns, 'svc', 'web-site-svc'])).toMatch(/web-site-svc\s+NodePort\s+\S+\s+<none>\s+80:3\d{4}\/TCP,88:3\d{4}\/TCP/);
    expect(await ok(['apply', '-n', ns, '-f', join(fixtures, 'downward-api-env.yaml')])).toContain('pod/dapi-envars-fieldref created');
    const args = JSON.parse(await ok(['get', '-n', ns, 'pod', 'dapi-envars-fieldref', '-o', 'jsonpath={.spec.containers[0].args}']));
    expect(args).toHaveLength(1);
    expect(args[0]).toMatch(/^while true; do echo -en '\\n'; printenv MY_NODE_NAME/);
    await ok(['delete', '-n', ns, 'svc', 'web-site-svc', 'whoami-service', 'webapp']);
  });

  it.each([
    ['pod-protocol-http.yaml', 'The Pod "nginx" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['service-underscore-name.yaml', `The Service "mariadb_service" is invalid: metadata.name: Invalid value: "mariadb_service": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`],
  ])('rejects invalid/%s with the upstream message', async (file, message) => {
    const res = await run(['apply', '-n', ns, '-f', join(fixtures, 'invalid', file)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
  });

  it('rejects a Pod without name and containers, creating nothing', async () => {
    const res = await run(['create', '-n', ns, '-f', join(fixtures, 'invalid', 'pod-no-name.yaml')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/metadata\.name: Required value/);
    expect(res.stderr).toMatch(/spec\.containers: Required value/);
  });

  it('answers a kind missing from a version as upstream does', async () => {
    const res = await run(['apply', '-n', ns, '-f', join(testdata, 'replicaset-wrong-version.yaml')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no matches for kind "ReplicaSet" in version "v1"');
  });

  it('explains a field from the OpenAPI document', async () => {
    const out = await ok(['explain', 'pods.spec.containers.ports']);
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/containerPort\s+<integer>/);
  });

  it('explains fields with the type names upstream publishes', async () => {
    // kubectl derives a field's type from the `$ref` to a named definition (1.27+ read /openapi/v3).
    expect(await ok(['explain', 'pods.spec.containers'])).toMatch(/^FIELD:\s+containers\s+<\[\]Container>/m);
    expect(await ok(['explain', 'pod'])).toMatch(/^\s+metadata\t<ObjectMeta>/m);
    const spec = await ok(['explain', 'deployment.spec']);
    expect(spec).toMatch(/^\s+template\t<PodTemplateSpec>/m);
    expect(spec).toMatch(/^\s+selector\t<LabelSelector>/m);
    expect(spec).toMatch(/^\s+strategy\t<DeploymentStrategy>/m);
    const container = await ok(['explain', 'pods.spec.containers']);
    expect(container).toMatch(/^\s+resources\t<ResourceRequirements>/m);
    expect(container).toMatch(/^\s+ports\t<\[\]ContainerPort>/m);
    // Upstream's required lists and enums: every minor marks required fields; the enum line
    // came with kubectl 1.30's explain template.
    expect(container).toMatch(/^\s+name\t<string> -required-$/m);
    expect(container).toMatch(/^\s+image\t<string>$/m);
    if (Number(minor.split('.')[1]) >= 30) expect(container).toMatch(/^\s+imagePullPolicy\t<string>\n\s+enum: Always, IfNotPresent, Never$/m);
    else expect(container).toMatch(/^\s+imagePullPolicy\t<string>$/m);
    expect(await ok(['explain', 'pods.spec.affinity'])).toMatch(/^\s+podAntiAffinity\t<PodAntiAffinity>/m);
    expect(spec).toMatch(/^\s+selector\t<LabelSelector> -required-$/m);
    expect(await ok(['explain', 'pods.spec.containers.resources'])).toMatch(/^\s+limits\t<map\[string\]Quantity>/m);
    expect(await ok(['explain', 'deployment.spec.strategy.rollingUpdate'])).toMatch(/^\s+maxSurge\t<IntOrString>/m);
  });

  it("explains types and fields with upstream's descriptions", async () => {
    const words = (text: string) => new RegExp(text.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
    const replicas = await ok(['explain', 'deployment.spec.replicas']);
    expect(replicas).toMatch(/DESCRIPTION:\n\s+Number of desired pods\./);
    expect(replicas).toMatch(words('This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'));
    // A type's description keeps upstream's paragraphs and indented list; TypeMeta's fields are described too.
    const sts = await ok(['explain', 'statefulset']);
    expect(sts).toMatch(/Identities\s+are defined as:\n\s+- Network: A single stable DNS and hostname\.\n\s+- Storage: As many VolumeClaims as requested\./);
    expect(sts).toMatch(/^\s+kind\t<string>\n\s+Kind is a string value/m);
    expect(sts).toMatch(words('Kind is a string value representing the REST resource this object represents.'));
    // An enum-typed field lists the values with their meanings, as upstream's generator appends them.
    const policy = await ok(['explain', 'pods.spec.containers.imagePullPolicy']);
    expect(policy).toMatch(/Possible enum values:\n\s+- `"Always"` means that kubelet always attempts to pull the latest image\./);
  });

  afterAll(async () => {
    await run(['delete', 'namespace', ns, '--wait=false']);
  });
});
