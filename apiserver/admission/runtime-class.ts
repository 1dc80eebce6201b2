/**
 * Admission plugin `RuntimeClass` (upstream plugin/pkg/admission/runtimeclass), on pod CREATE only:
 * - admit: a pod naming a RuntimeClass that does not exist is 403
 *   `pod rejected: RuntimeClass "x" not found`; otherwise it gets the class's
 *   `overhead.podFixed` as `spec.overhead` and the class's `scheduling` node selector and
 *   tolerations merged into its own (decisions in `runtime-class-rules.ts`);
 * - validate: `spec.overhead` must equal the class's overhead, and a pod whose class defines none
 *   (or that names no class) may not set one — so nothing after admit can smuggle one in.
 * The class is read from storage on each pod create (upstream reads an informer, then the API).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { NODE_GROUP } from '../../pkg/api/node/v1/runtimeclass.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import { admissionObjectName } from './object-name.ts';
import { admitRuntimeClass, overheadProblem, runtimeClassNotFound, type PodSpecRuntimeFields, type RuntimeClassView } from './runtime-class-rules.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const RUNTIME_CLASS_PLUGIN = 'RuntimeClass';

const RUNTIME_CLASSES = { group: NODE_GROUP, plural: 'runtimeclasses', namespaced: false } as const;
const PODS = { group: '', resource: 'pods' } as const;

function isPodCreate(attrs: AdmissionAttributes): attrs is AdmissionAttributes & { object: KubeObject } {
  return attrs.operation === 'CREATE' && !attrs.subresource && attrs.info.group === '' && attrs.info.plural === 'pods' && !!attrs.object;
}

export function createRuntimeClassPlugin(ctx: AdmissionContext): AdmissionPlugin {
  /** The pod's class; undefined when it names none; a 403 when it names a missing one. */
  async function classOf(attrs: AdmissionAttributes, spec: PodSpecRuntimeFields): Promise<RuntimeClassView | undefined> {
    const name = spec.runtimeClassName;
    if (name === undefined) return undefined;
    const stored = await ctx.storage.get(ctx.keyFor(RUNTIME_CLASSES, undefined, name));
    if (!stored) throw forbidden(PODS, admissionObjectName(attrs), runtimeClassNotFound(name));
    return stored as unknown as RuntimeClassView;
  }

  async function admit(attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = (pod.spec ??= {}) as PodSpecRuntimeFields;
    const rc = await classOf(attrs, spec);
    if (!rc) return;
    const result = admitRuntimeClass(spec, rc);
    if ('error' in result) throw forbidden(PODS, admissionObjectName(attrs), result.error);
    setOrDelete(spec, 'overhead', result.overhead && { ...result.overhead });
    setOrDelete(spec, 'nodeSelector', result.nodeSelector);
    setOrDelete(spec, 'tolerations', result.tolerations);
  }

  async function validate(attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = (pod.spec ?? {}) as PodSpecRuntimeFields;
    const problem = overheadProblem(spec, await classOf(attrs, spec));
    if (problem) throw forbidden(PODS, admissionObjectName(attrs), problem);
  }

  return {
    name: RUNTIME_CLASS_PLUGIN,
    admit(attrs) {
      if (!isPodCreate(attrs) || (attrs.object.spec as PodSpecRuntimeFields | undefined)?.runtimeClassName === undefined) return;
      return admit(attrs, attrs.object);
    },
    validate(attrs) {
      if (!isPodCreate(attrs)) return;
      const spec = attrs.object.spec as PodSpecRuntimeFields | undefined;
      if (spec?.runtimeClassName === undefined && spec?.overhead === undefined) return;
      return validate(attrs, attrs.object);
    },
  };
}

function setOrDelete<K extends keyof PodSpecRuntimeFields>(spec: PodSpecRuntimeFields, key: K, value: PodSpecRuntimeFields[K]): void {
  if (value === undefined) delete spec[key];
  else spec[key] = value;
}
