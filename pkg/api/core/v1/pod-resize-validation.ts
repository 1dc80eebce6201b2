/**
 * What a `pods/resize` update may change (upstream 1.33 `ValidatePodResize`): only cpu and memory
 * requests and limits of containers and sidecars (restartable init containers), keeping the pod's
 * QoS class, removing no request or limit, and lowering or adding a memory limit only for a
 * container whose memory resizePolicy is `RestartContainer`. Pods with pod-level resources, static
 * pods' mirrors and Windows pods are refused outright. Pure; messages and field paths are upstream's.
 */
import type { FieldError } from '../../../errors/index.ts';
import { canonicalQuantity, compareQuantity } from '../../quantity.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, forbidden, index, invalidValue, key } from '../../validation/field-errors.ts';
import type { KubeObject } from '../../meta.ts';
import { isRestartableInitContainer, type Container } from './pod-container.ts';
import { MIRROR_POD_ANNOTATION } from './pod-ephemeral.ts';
import type { PodSpec } from './pod-spec.ts';
import { podQOSClass, type PodStatus } from './pod-status.ts';

type PodLike = KubeObject & { spec?: PodSpec; status?: PodStatus };
type ResourceList = Readonly<Record<string, string | number>>;
type Requirements = Container['resources'];

const RESIZABLE = ['cpu', 'memory'];
const RESTART_CONTAINER = 'RestartContainer';

/** Upstream `GetPodQOS`: the class recorded at creation, else the one the spec gives. */
function recordedQOSClass(pod: PodLike): string {
  return pod.status?.qosClass || podQOSClass(pod.spec ?? {});
}

/**
 * Upstream `isPodResizeRequestSupported`: the first running container (in status order) tells
 * whether its node reports `resources` in container statuses; with none running, assume yes.
 */
function nodeSupportsResize(status: PodStatus | undefined): boolean {
  const running = (status?.containerStatuses ?? []).find((s) => s.state?.running !== undefined);
  return running === undefined || running.resources !== undefined;
}

function hasPodLevelResources(spec: PodSpec | undefined): boolean {
  return Object.keys(spec?.resources?.requests ?? {}).length + Object.keys(spec?.resources?.limits ?? {}).length > 0;
}

/** The refusals that replace every other error (upstream returns them alone). */
function podRefusal(next: PodLike, old: PodLike): FieldError | undefined {
  if (hasPodLevelResources(old.spec) || hasPodLevelResources(next.spec)) return forbidden('', 'pods with pod-level resources cannot be resized');
  if (old.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return forbidden('', 'static pods cannot be resized');
  if (old.spec?.os?.name === 'windows') return forbidden('', 'windows pods cannot be resized');
  return undefined;
}

/** Upstream `validatePodResizeContainerOrdering`: no container added, removed, renamed or reordered. */
function validateContainerOrdering(next: PodSpec, old: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    const n = next[list] ?? [];
    const o = old[list] ?? [];
    const path = child('spec', list);
    if (n.length !== o.length) errs.push(forbidden(path, `${list} may not be added or removed on resize`));
    else o.forEach((c, i) => {
      if (n[i]!.name !== c.name) errs.push(forbidden(child(index(path, i), 'name'), `${list} may not be renamed or reordered on resize`));
    });
  }
  return errs;
}

function removesAny(next: ResourceList | undefined, old: ResourceList | undefined): boolean {
  return Object.keys(old ?? {}).some((name) => !(name in (next ?? {})));
}

/**
 * Upstream `validateContainerResize` for one container (`path` = its `resources`): no request or
 * limit removed; with memory resizePolicy `NotRequired` (or none), no memory limit lowered or added.
 */
function validateContainerResize(next: Requirements, old: Requirements, resizePolicy: Container['resizePolicy'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (removesAny(next?.requests, old?.requests)) errs.push(forbidden(child(path, 'requests'), 'resource requests cannot be removed'));
  if (removesAny(next?.limits, old?.limits)) errs.push(forbidden(child(path, 'limits'), 'resource limits cannot be removed'));
  const memoryPolicy = resizePolicy?.find((p) => p.resourceName === 'memory')?.restartPolicy ?? '';
  if (memoryPolicy !== 'NotRequired' && memoryPolicy !== '') return errs;
  const newLimit = next?.limits?.memory;
  const oldLimit = old?.limits?.memory;
  const limitPath = key(child(path, 'limits'), 'memory');
  if (newLimit !== undefined && oldLimit !== undefined && compareQuantity(newLimit, oldLimit) < 0) {
    errs.push(forbidden(limitPath, `memory limits cannot be decreased unless resizePolicy is ${RESTART_CONTAINER}`));
  } else if (newLimit !== undefined && oldLimit === undefined) {
    errs.push(forbidden(limitPath, `memory limits cannot be added unless resizePolicy is ${RESTART_CONTAINER}`));
  }
  return errs;
}

/** A resource list with cpu and memory as in `old`, every value canonical; absent when empty (Go's semantic equality). */
function withOldCpuMemory(next: ResourceList | undefined, old: ResourceList | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(next ?? {})) if (!RESIZABLE.includes(name)) out[name] = canonicalQuantity(q);
  for (const [name, q] of Object.entries(old ?? {})) if (RESIZABLE.includes(name)) out[name] = canonicalQuantity(q);
  return Object.keys(out).length ? out : undefined;
}

/** A container as resize compares it: cpu and memory from `cpuMemoryFrom`, quantities canonical, empty lists absent. */
function normalized(c: Container, cpuMemoryFrom: Container): unknown {
  const requests = withOldCpuMemory(c.resources?.requests, cpuMemoryFrom.resources?.requests);
  const limits = withOldCpuMemory(c.resources?.limits, cpuMemoryFrom.resources?.limits);
  const claims = c.resources?.claims?.length ? c.resources.claims : undefined;
  const resources = requests || limits || claims ? { requests, limits, claims } : undefined;
  return { ...c, resources, resizePolicy: c.resizePolicy?.length ? c.resizePolicy : undefined };
}

/**
 * Whether `next` differs from `old` in anything but cpu and memory requests and limits (upstream
 * `dropCPUMemoryResourcesFromContainer` + semantic DeepEqual; as upstream since its fix, no other
 * resource may be added to a container that had none). A changed resizePolicy counts.
 */
function changesMoreThanCpuMemory(next: Container, old: Container): boolean {
  return !deepEqual(normalized(next, old), normalized(old, old));
}

/** Whether `next` differs from `old` at all (semantically: quantities by value, empty lists absent). */
function differs(next: Container, old: Container): boolean {
  return !deepEqual(normalized(next, next), normalized(old, old));
}

/**
 * Upstream 1.33 `ValidatePodResize` beyond the metadata and spec validation every update gets:
 * the errors of resizing `old` into `next` (both defaulted; `next` from `podResizeUpdate`). A single
 * error with field `''` (pod-level resources, static pod, Windows) replaces all others, as upstream
 * returns it alone. Empty means the resize is allowed.
 */
export function validatePodResize(next: PodLike, old: PodLike): FieldError[] {
  const refusal = podRefusal(next, old);
  if (refusal) return [refusal];
  const nextSpec = next.spec ?? {};
  const oldSpec = old.spec ?? {};
  const errs: FieldError[] = [];
  if (recordedQOSClass(old) !== podQOSClass(nextSpec)) errs.push(invalidValue('spec', next.status?.qosClass ?? '', 'Pod QOS Class may not change as a result of resizing'));
  if (!nodeSupportsResize(old.status)) errs.push(forbidden('spec', 'Pod running on node without support for resize'));
  const ordering = validateContainerOrdering(nextSpec, oldSpec);
  if (ordering.length) return [...errs, ...ordering];
  const nextInits = nextSpec.initContainers ?? [];
  const nextContainers = nextSpec.containers ?? [];
  (oldSpec.initContainers ?? []).forEach((o, i) => {
    if (isRestartableInitContainer(o)) errs.push(...validateContainerResize(nextInits[i]!.resources, o.resources, nextInits[i]!.resizePolicy, child(index('spec.initContainers', i), 'resources')));
  });
  (oldSpec.containers ?? []).forEach((o, i) => {
    errs.push(...validateContainerResize(nextContainers[i]!.resources, o.resources, nextContainers[i]!.resizePolicy, child(index('spec.containers', i), 'resources')));
  });
  (oldSpec.containers ?? []).forEach((o, i) => {
    if (changesMoreThanCpuMemory(nextContainers[i]!, o)) errs.push(forbidden('spec', 'only cpu and memory resources are mutable'));
  });
  (oldSpec.initContainers ?? []).forEach((o, i) => {
    const n = nextInits[i]!;
    if (isRestartableInitContainer(n)) {
      if (changesMoreThanCpuMemory(n, o)) errs.push(forbidden('spec', 'only cpu and memory resources for sidecar containers are mutable'));
    } else if (differs(n, o)) errs.push(forbidden('spec', 'resources for non-sidecar init containers are immutable'));
  });
  if (errs.length) return errs;
  const withoutContainers = (spec: PodSpec) => ({ ...spec, containers: undefined, initContainers: undefined });
  return deepEqual(withoutContainers(nextSpec), withoutContainers(oldSpec)) ? [] : [forbidden('spec', 'only cpu and memory resources are mutable')];
}
