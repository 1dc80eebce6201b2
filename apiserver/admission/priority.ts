/**
 * Admission plugin `Priority` (upstream plugin/pkg/admission/priority):
 * - pod CREATE: resolves `spec.priorityClassName` (or the `globalDefault` class, else none) into
 *   `spec.priority` and `spec.preemptionPolicy`; an unknown class is 403
 *   `no PriorityClass with name X was found`; a client-set priority or preemption policy that
 *   differs from the class's is 403 as upstream;
 * - pod UPDATE: keeps the stored priority and preemption policy when the new object omits them
 *   (so a replace without them is not refused by pod update validation);
 * - PriorityClass CREATE/UPDATE: only one class may be `globalDefault`.
 *
 * The default class is read through a short-lived cache that every PriorityClass write through
 * this server evicts once committed.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { SYSTEM_PRIORITY_CLASSES } from '../../pkg/api/scheduling/v1/priorityclass.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import { admissionObjectName } from './object-name.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const PRIORITY_PLUGIN = 'Priority';

const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', plural: 'priorityclasses', namespaced: false } as const;
const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

/** The parts of a PriorityClass the plugin reads. */
export interface PriorityClassView {
  name: string;
  value: number;
  globalDefault: boolean;
  preemptionPolicy: string;
}

/** What a pod's priority resolves to. */
export interface ResolvedPriority {
  /** The class name to store (the default class's name when the pod named none). */
  className: string;
  priority: number;
  preemptionPolicy: string;
}

interface PodSpecPriority {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
}

/** The default class: the `globalDefault` one; with several (a race), the lowest value, as upstream. */
export function pickDefaultClass(classes: readonly PriorityClassView[]): PriorityClassView | undefined {
  let best: PriorityClassView | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  return best;
}

/**
 * Resolves a pod's priority (pure). `named` is the class the pod names (undefined = not found),
 * `defaultClass` the cluster default. Returns an error message (upstream wording) or the result.
 */
export function resolvePodPriority(spec: PodSpecPriority, named: PriorityClassView | undefined, defaultClass: PriorityClassView | undefined): ResolvedPriority | { error: string } {
  let resolved: ResolvedPriority;
  if (spec.priorityClassName) {
    if (!named) return { error: `no PriorityClass with name ${spec.priorityClassName} was found` };
    resolved = { className: named.name, priority: named.value, preemptionPolicy: named.preemptionPolicy };
  } else {
    resolved = defaultClass
      ? { className: defaultClass.name, priority: defaultClass.value, preemptionPolicy: defaultClass.preemptionPolicy }
      : { className: '', priority: 0, preemptionPolicy: PREEMPT_LOWER_PRIORITY };
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== resolved.priority) {
    return { error: `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${resolved.priority} from the given PriorityClass name` };
  }
  if (spec.preemptionPolicy && spec.preemptionPolicy !== resolved.preemptionPolicy) {
    return { error: `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name` };
  }
  return resolved;
}

function view(obj: KubeObject): PriorityClassView {
  const o = obj as KubeObject & { value?: number; globalDefault?: boolean; preemptionPolicy?: string };
  return { name: o.metadata.name ?? '', value: o.value ?? 0, globalDefault: o.globalDefault === true, preemptionPolicy: o.preemptionPolicy || PREEMPT_LOWER_PRIORITY };
}

export interface PriorityPluginOptions {
  /** How long the default-class read stays fresh (default 1000 ms). */
  cacheTtlMs?: number;
  now?: () => number;
}

export function createPriorityPlugin(ctx: AdmissionContext, options: PriorityPluginOptions = {}): AdmissionPlugin {
  const ttl = options.cacheTtlMs ?? 1000;
  const now = options.now ?? Date.now;
  let cachedDefault: { value: PriorityClassView | undefined; expiresAt: number } | undefined;

  async function allClasses(): Promise<PriorityClassView[]> {
    const prefix = ctx.keyFor(PRIORITY_CLASSES, undefined, '');
    return (await ctx.storage.list(prefix)).items.map(view);
  }
  async function defaultClass(): Promise<PriorityClassView | undefined> {
    if (cachedDefault && cachedDefault.expiresAt > now()) return cachedDefault.value;
    const value = pickDefaultClass(await allClasses());
    cachedDefault = { value, expiresAt: now() + ttl };
    return value;
  }
  async function namedClass(name: string): Promise<PriorityClassView | undefined> {
    const stored = await ctx.storage.get(ctx.keyFor(PRIORITY_CLASSES, undefined, name));
    if (stored) return view(stored);
    const value = SYSTEM_PRIORITY_CLASSES[name];
    return value === undefined ? undefined : { name, value, globalDefault: false, preemptionPolicy: PREEMPT_LOWER_PRIORITY };
  }

  return {
    name: PRIORITY_PLUGIN,
    admit(attrs: AdmissionAttributes) {
      if (attrs.subresource || attrs.info.group !== '' || attrs.info.plural !== 'pods' || !attrs.object) return;
      return admitPod(attrs, attrs.object);
    },
    validate(attrs: AdmissionAttributes) {
      if (attrs.subresource || attrs.info.group !== PRIORITY_CLASSES.group || attrs.info.plural !== PRIORITY_CLASSES.plural) return;
      return validateClass(attrs);
    },
  };

  async function admitPod(attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = (pod.spec ??= {}) as PodSpecPriority;
    if (attrs.operation === 'UPDATE') {
      const old = (attrs.oldObject?.spec ?? {}) as PodSpecPriority;
      if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
      if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
      return;
    }
    if (attrs.operation !== 'CREATE') return;
    const named = spec.priorityClassName ? await namedClass(spec.priorityClassName) : undefined;
    const result = resolvePodPriority(spec, named, spec.priorityClassName ? undefined : await defaultClass());
    if ('error' in result) throw forbidden({ group: '', resource: 'pods' }, admissionObjectName(attrs), result.error);
    if (result.className) spec.priorityClassName = result.className;
    spec.priority = result.priority;
    spec.preemptionPolicy = result.preemptionPolicy;
  }

  async function validateClass(attrs: AdmissionAttributes): Promise<void> {
    attrs.onSuccess(async () => void (cachedDefault = undefined));
    if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !attrs.object) return;
    const incoming = view(attrs.object);
    if (!incoming.globalDefault) return;
    const existing = pickDefaultClass(await allClasses());
    if (existing && (attrs.operation === 'CREATE' || existing.name !== incoming.name)) {
      throw forbidden({ group: PRIORITY_CLASSES.group, resource: PRIORITY_CLASSES.plural }, incoming.name, `PriorityClass ${existing.name} is already marked as default. Only one default can exist`);
    }
  }
}
