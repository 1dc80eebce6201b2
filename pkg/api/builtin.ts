/**
 * Every built-in kind, in discovery order: core v1, apps/v1, discovery.k8s.io/v1,
 * coordination.k8s.io/v1, scheduling.k8s.io/v1.
 */
import { anyResource } from './core/v1/common.ts';
import { configMapResource } from './core/v1/configmap.ts';
import { namespaceResource } from './core/v1/namespace.ts';
import { secretResource } from './core/v1/secret.ts';
import { serviceAccountResource } from './core/v1/serviceaccount.ts';
import { ResourceRegistry } from './registry.ts';
import type { ResourceInfo } from './resource.ts';

/** The built-in resources, a fresh array each call (the values themselves are shared). */
export function builtinResources(): ResourceInfo[] {
  return [
    anyResource(namespaceResource),
    anyResource(configMapResource),
    anyResource(secretResource),
    anyResource(serviceAccountResource),
  ];
}

/** A registry holding every built-in kind, ready for CRDs to be added. */
export function createBuiltinRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry();
  for (const info of builtinResources()) registry.register(info);
  return registry;
}

/**
 * The built-in resource for an `apiVersion` + `kind` pair as written in a manifest
 * (`v1`/`Service`, `apps/v1`/`Deployment`), or undefined.
 */
export function builtinFor(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return builtinResources().find((r) => r.group === group && r.version === version && r.kind === kind);
}
