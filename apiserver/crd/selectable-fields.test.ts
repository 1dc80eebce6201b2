/**
 * CRD `selectableFields` through the API and kubectl, with the kubernetes.io example ("Shirt",
 * selectable `.spec.color` and `.spec.size`): field selectors on them filter lists and watches, any
 * other field is upstream's 400, and a CRD naming a field of another type is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner } from '../../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/index.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { api } from '../admission/webhook/webhook-test-server.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const SHIRTS = '/apis/stable.example.com/v1/namespaces/default/shirts';
const dir = mkdtempSync(join(tmpdir(), 'k8ts-selectable-fields-'));
const [minor] = installedKubectls(['1.33', '1.32']);

function shirtCrd(selectableFields: Array<{ jsonPath: string }>) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'shirts.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'shirts', singular: 'shirt', kind: 'Shirt' },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { color: { type: 'string' }, size: { type: 'string' }, price: { type: 'number' } } } } } },
        selectableFields,
        additionalPrinterColumns: [{ jsonPath: '.spec.color', name: 'Color', type: 'string' }, { jsonPath: '.spec.size', name: 'Size', type: 'string' }],
      }],
    },
  };
}

describe('CRD selectableFields', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a selectable field that is not a string, boolean or integer', async () => {
    const res = await api(cp.url, 'POST', CRDS, shirtCrd([{ jsonPath: '.spec.price' }]));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CustomResourceDefinition.apiextensions.k8s.io "shirts.stable.example.com" is invalid: spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.price": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.');
  });

  it('filters lists and watches by a selectable field; other fields are a 400', async () => {
    expect((await api(cp.url, 'POST', CRDS, shirtCrd([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }]))).status).toBe(201);
    await waitFor('shirts served', async () => (await api(cp.url, 'GET', SHIRTS)).status === 200);
    for (const [name, color, size] of [['example1', 'blue', 'S'], ['example2', 'blue', 'M'], ['example3', 'green', 'M']]) {
      expect((await api(cp.url, 'POST', SHIRTS, { apiVersion: 'stable.example.com/v1', kind: 'Shirt', metadata: { name }, spec: { color, size } })).status).toBe(201);
    }
    const names = async (selector: string) => (await api(cp.url, 'GET', `${SHIRTS}?fieldSelector=${encodeURIComponent(selector)}`)).body.items.map((s: { metadata: { name: string } }) => s.metadata.name);
    expect(await names('spec.color=blue')).toEqual(['example1', 'example2']);
    expect(await names('spec.color=blue,spec.size=M')).toEqual(['example2']);
    expect(await names('spec.size!=M')).toEqual(['example1']);
    const other = await api(cp.url, 'GET', `${SHIRTS}?fieldSelector=spec.price%3D1`);
    expect(other.status).toBe(400);
    expect(other.body.message).toBe('field label not supported: spec.price');

    const abort = new AbortController();
    const watch = await fetch(`${cp.url}${SHIRTS}?watch=true&fieldSelector=spec.color%3Dgreen`, { signal: abort.signal });
    const reader = watch.body!.getReader();
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'example3' } } });
  });

  it.skipIf(!minor)('kubectl get --field-selector on a selectable field', async () => {
    const { ok } = kubectlRunner(minor!, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }));
    expect(await ok(['get', 'shirts', '--field-selector', 'spec.color=blue', '-o', 'name'])).toBe('shirt.stable.example.com/example1\nshirt.stable.example.com/example2\n');
  });
});
