/**
 * Installing the Website CRD (`crd.yaml`) through the API: create it (or leave an existing one
 * alone) and wait until the API server reports it `Established`, i.e. Websites are served.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from 'k8ts/api';
import type { Client, ResourceCoordinates } from 'k8ts/client';

/** `apiextensions.k8s.io/v1` CustomResourceDefinitions. */
export const CRDS: ResourceCoordinates = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false, kind: 'CustomResourceDefinition' };

/** The CRD's name. */
export const WEBSITE_CRD_NAME = 'websites.example.k8ts.dev';

interface CrdWithStatus extends KubeObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/** The manifest in `crd.yaml`, parsed (a fresh copy per call). */
export function loadWebsiteCrd(): KubeObject {
  return parseYaml(readFileSync(new URL('./crd.yaml', import.meta.url), 'utf8')) as KubeObject;
}

/** True when the CRD's `Established` condition is True. */
export function isEstablished(crd: CrdWithStatus): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Creates the Website CRD unless it exists (409 AlreadyExists is fine), then polls until it is
 * Established; rejects after `timeoutMs` (default 10 s) or with any other API error.
 */
export async function installWebsiteCrd(client: Client, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const crds = client.resource<CrdWithStatus>(CRDS);
  await crds.create(loadWebsiteCrd()).catch((err: unknown) => ((err as { code?: number }).code === 409 ? undefined : Promise.reject(err)));
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (isEstablished(await crds.get(WEBSITE_CRD_NAME))) return;
    if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${WEBSITE_CRD_NAME} not Established after ${options.timeoutMs ?? 10_000} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
}
