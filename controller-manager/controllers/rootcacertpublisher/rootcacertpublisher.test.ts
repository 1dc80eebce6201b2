/**
 * root-ca-cert-publisher: the pure restore decision, and the controller against the in-process
 * API server with a CA made by `k8ts up`'s PKI code.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../pkg/api/core/v1/configmap.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { ensureCa } from '../../../cli/up/pki.ts';
import { DESCRIPTION, DESCRIPTION_ANNOTATION, desiredRootCaConfigMap, rootCaConfigMapUpdate } from './desired.ts';
import { readRootCa } from './index.ts';

const DESCRIPTION_TEXT = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

describe('rootCaConfigMapUpdate', () => {
  const cm = (data: Record<string, string> | undefined, annotations?: Record<string, string>) => ({ metadata: { name: 'kube-root-ca.crt', namespace: 'ns', labels: { keep: 'me' }, annotations }, data }) as ConfigMap;
  it('creates with the CA and upstream’s description', () => {
    expect(DESCRIPTION).toBe(DESCRIPTION_TEXT);
    expect(desiredRootCaConfigMap('PEM')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': DESCRIPTION_TEXT } }, data: { 'ca.crt': 'PEM' } });
  });
  it.each([
    ['matching', cm({ 'ca.crt': 'PEM' }, { [DESCRIPTION_ANNOTATION]: 'anything' }), undefined],
    ['edited data', cm({ 'ca.crt': 'EVIL' }, { [DESCRIPTION_ANNOTATION]: DESCRIPTION }), { 'ca.crt': 'PEM' }],
    ['an extra key', cm({ 'ca.crt': 'PEM', extra: 'x' }, { [DESCRIPTION_ANNOTATION]: DESCRIPTION }), { 'ca.crt': 'PEM' }],
    ['no data', cm(undefined, { [DESCRIPTION_ANNOTATION]: DESCRIPTION }), { 'ca.crt': 'PEM' }],
    ['no description', cm({ 'ca.crt': 'PEM' }, { other: 'a' }), { 'ca.crt': 'PEM' }],
  ] as const)('%s', (_n, existing, data) => {
    const next = rootCaConfigMapUpdate(existing, 'PEM');
    if (!data) return expect(next).toBeUndefined();
    expect(next?.data).toEqual(data);
    expect(next?.metadata.labels).toEqual({ keep: 'me' });
    expect(next?.metadata.annotations?.[DESCRIPTION_ANNOTATION]).toBe(DESCRIPTION);
  });
});

describe('root-ca-cert-publisher controller', () => {
  let cp: TestControlPlane;
  let dir: string;
  let caPem: string;
  const until = <T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> => waitFor(what, fn, { timeoutMs: 15_000, intervalMs: 50, retryErrors: true });
  const rootCa = (ns: string) => cp.client.configMaps.inNamespace(ns).get('kube-root-ca.crt');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-rootca-'));
    const ca = await ensureCa(dir);
    caPem = await readFile(ca.cert, 'utf8');
    cp = await startTestControlPlane({ controllers: ['namespace', 'root-ca-cert-publisher'], controllerSettings: { rootCaFile: ca.cert } });
  });
  afterAll(async () => {
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes kube-root-ca.crt in existing and new namespaces', async () => {
    for (const ns of ['default', 'kube-system']) expect((await until(`${ns} CA`, () => rootCa(ns))).data).toEqual({ 'ca.crt': caPem });
    await cp.client.namespaces.create({ metadata: { name: 'fresh' } });
    const cm = await until('fresh CA', () => rootCa('fresh'));
    expect(cm.data).toEqual({ 'ca.crt': caPem });
    expect(cm.metadata.annotations).toEqual({ 'kubernetes.io/description': DESCRIPTION_TEXT });
  });

  it('recreates it when deleted and restores it when edited', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'tamper' } });
    await until('tamper CA', () => rootCa('tamper'));
    await cp.client.configMaps.inNamespace('tamper').delete('kube-root-ca.crt');
    await until('recreated', async () => (await rootCa('tamper')).data?.['ca.crt'] === caPem);
    const edited = await rootCa('tamper');
    await cp.client.configMaps.inNamespace('tamper').update({ ...edited, data: { 'ca.crt': 'not a CA', extra: 'x' }, metadata: { ...edited.metadata, annotations: {} } });
    const restored = await until('restored', async () => {
      const cm = await rootCa('tamper');
      return cm.data?.['ca.crt'] === caPem && cm;
    });
    expect(restored.data).toEqual({ 'ca.crt': caPem });
    expect(restored.metadata.annotations?.['kubernetes.io/description']).toBe(DESCRIPTION_TEXT);
  });

  it('leaves a terminating namespace alone', async () => {
    await cp.client.namespaces.create({ metadata: { name: 'doomed' } });
    await until('doomed CA', () => rootCa('doomed'));
    await cp.client.configMaps.inNamespace('doomed').create({ metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await cp.client.namespaces.delete('doomed');
    await until('terminating', async () => (await cp.client.namespaces.get('doomed')).status?.phase === 'Terminating');
    await until('CA removed by the namespace controller', async () => rootCa('doomed').then(() => false, () => true));
    await new Promise((r) => setTimeout(r, 500));
    await expect(rootCa('doomed')).rejects.toMatchObject({ code: 404 });
    await cp.client.configMaps.inNamespace('doomed').patch('held', { metadata: { finalizers: null } }, { type: 'merge' });
  });

  it('refuses a file that is not a PEM certificate, as upstream', async () => {
    const bad = join(dir, 'bad.crt');
    await writeFile(bad, 'garbage');
    expect(() => readRootCa(bad)).toThrow(`error parsing root-ca-file at ${bad}`);
  });
});
