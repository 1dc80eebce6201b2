/**
 * Small resources for the API server's own tests: a Pod-like kind (binding, graceful deletion,
 * `spec.nodeName` field selector) and a custom kind with status and scale subresources.
 * Not served by the real server.
 */
import { z } from 'zod';
import { kubeObject, type KubeObject } from '../../pkg/api/meta.ts';
import { ResourceRegistry } from '../../pkg/api/registry.ts';
import { ALL_VERBS, type ResourceInfo } from '../../pkg/api/resource.ts';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { validateObjectMeta } from '../../pkg/api/validation/index.ts';

const ContainerSchema = z.object({
  name: z.string(),
  image: z.string().optional(),
  env: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
});

export const TestPodSchema = kubeObject({
  spec: z.object({ nodeName: z.string().optional(), containers: z.array(ContainerSchema).optional(), terminationGracePeriodSeconds: z.number().int().optional() }).optional(),
  status: z.object({ phase: z.string().optional(), conditions: z.array(z.record(z.string(), z.unknown())).optional() }).optional(),
});

export const testPodResource: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  verbs: ALL_VERBS,
  schema: TestPodSchema as unknown as z.ZodType<KubeObject>,
  subresources: { status: true },
  patchMeta: { 'spec.containers': { strategy: 'merge', mergeKey: 'name' } },
  applyDefaults(obj) {
    const spec = (obj.spec ??= {}) as { terminationGracePeriodSeconds?: number };
    spec.terminationGracePeriodSeconds ??= 30;
  },
  validate(obj) {
    const errs = validateObjectMeta(obj.metadata, { namespaced: true });
    const containers = ((obj.spec ?? {}) as { containers?: unknown[] }).containers ?? [];
    if (containers.length === 0) errs.push({ type: 'FieldValueRequired', field: 'spec.containers', detail: 'Required value' });
    return errs;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  fieldSelectors: {
    'spec.nodeName': (o) => ((o.spec ?? {}) as { nodeName?: string }).nodeName,
    'status.phase': (o) => ((o.status ?? {}) as { phase?: string }).phase,
  },
};

export const WidgetSchema = kubeObject({
  spec: z.object({ replicas: z.number().int().optional(), color: z.string().optional(), selector: z.record(z.string(), z.unknown()).optional() }).optional(),
  status: z.object({ replicas: z.number().int().optional(), ready: z.boolean().optional() }).optional(),
});

export const widgetResource: ResourceInfo & { customResource: boolean } = {
  customResource: true,
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: ['wd'],
  categories: [],
  verbs: ALL_VERBS,
  schema: WidgetSchema as unknown as z.ZodType<KubeObject>,
  subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' } },
  patchMeta: {},
  applyDefaults(obj) {
    const spec = (obj.spec ??= {}) as { replicas?: number };
    spec.replicas ??= 1;
  },
  validate(obj) {
    const errs = validateObjectMeta(obj.metadata, { namespaced: true });
    const replicas = ((obj.spec ?? {}) as { replicas?: number }).replicas ?? 0;
    if (replicas < 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${replicas}: must be greater than or equal to 0` });
    return errs;
  },
};

/** The built-in registry plus the test kinds (the built-in Pod, once there, is replaced by the test Pod). */
export function createTestRegistry(): ResourceRegistry {
  const registry = createBuiltinRegistry();
  registry.register(testPodResource);
  registry.register(widgetResource);
  return registry;
}

export { ResourceRegistry };
