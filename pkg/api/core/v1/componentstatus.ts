/**
 * core/v1 ComponentStatus (short name `cs`, deprecated in v1.19+): cluster-scoped, `get` and
 * `list` only, computed by the API server from health probes of the scheduler, the
 * controller-manager and etcd (`ResourceInfo.computed`); never stored. Each object carries one
 * `Healthy` condition.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineResource } from './common.ts';

export const ComponentConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  message: z.string().optional(),
  error: z.string().optional(),
});
export type ComponentCondition = z.infer<typeof ComponentConditionSchema>;

export const ComponentStatusSchema = kubeObject({
  conditions: z.array(ComponentConditionSchema).optional(),
});
export type ComponentStatus = z.infer<typeof ComponentStatusSchema>;

/** The `Warning` header of every request to it (upstream's deprecation warning). */
export const COMPONENT_STATUS_DEPRECATION = 'v1 ComponentStatus is deprecated in v1.19+';

export const componentStatusResource = defineResource<ComponentStatus>({
  group: '',
  version: 'v1',
  kind: 'ComponentStatus',
  plural: 'componentstatuses',
  singular: 'componentstatus',
  namespaced: false,
  shortNames: ['cs'],
  verbs: ['get', 'list'],
  computed: true,
  deprecationWarning: COMPONENT_STATUS_DEPRECATION,
  schema: ComponentStatusSchema,
  patchMeta: { conditions: { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: () => undefined,
  validate: () => [],
});
