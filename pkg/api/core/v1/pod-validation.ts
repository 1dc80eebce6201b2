/**
 * PodSpec validation (pkg/apis/core/validation/validation.go, the parts kubectl users hit):
 * containers, ports, env, volume mounts, volumes (sources: pod-validation-volumes.ts), security
 * contexts, DNS and hooks (pod-validation-host.ts) and the spec-level enums, with upstream
 * field paths and messages.
 */
import type { FieldError } from '../../../errors/index.ts';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../../quantity.ts';
import { child, duplicate, index, invalidValue, key, notSupported, required } from '../../validation/field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from '../../validation/names.ts';
import { validateProtocol } from './common.ts';
import type { Container, Probe } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';
import { VOLUME_SOURCE_KEYS } from './pod-volume.ts';
import { validateNodeAffinity, validateTopologySpreadConstraints } from './pod-validation-scheduling.ts';
import { validateVolumeMountPaths, validateVolumeSource } from './pod-validation-volumes.ts';
import { handlerKindErrors, validateContainerHostFields, validatePodHostFields } from './pod-validation-host.ts';
import { validateLabels } from '../../validation/object-meta.ts';

export const RESTART_POLICIES = ['Always', 'Never', 'OnFailure'] as const;
export const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'] as const;

/** `field.NotFound`. */
export function notFound(field: string, value: unknown): FieldError {
  return { type: 'FieldValueNotFound', field, detail: `Not found: ${JSON.stringify(value)}` };
}

function nonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, 'must be greater than or equal to 0')] : [];
}

function enumValue(path: string, value: string | undefined, allowed: readonly string[]): FieldError[] {
  if (!value) return [required(path)];
  return allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

/** Upstream IsStandardResourceName's names (and hugepages-*), and the ones a container may request. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers']);
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** validateContainerResourceName: a standard container resource, a native `*kubernetes.io/` one, or an extended `domain/name`. Pure. */
export function containerResourceNameErrors(name: string): string[] {
  const qualified = isQualifiedName(name);
  if (qualified.length) return qualified;
  const hugePages = name.startsWith('hugepages-');
  if (!name.includes('/')) {
    const errs = STANDARD_RESOURCES.has(name) || hugePages || name.startsWith('requests.hugepages-') ? [] : ['must be a standard resource type or fully qualified'];
    return CONTAINER_RESOURCES.has(name) || hugePages ? errs : [...errs, 'must be a standard resource for containers'];
  }
  const extended = !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
  return name.includes('kubernetes.io/') || extended ? [] : ["doesn't follow extended resource name standard"];
}

function validateResources(path: string, resources: Container['resources']): FieldError[] {
  const errs: FieldError[] = [];
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, v] of Object.entries(list)) {
      const q = parseQuantity(v);
      const p = key(child(path, kind), name);
      for (const msg of containerResourceNameErrors(name)) errs.push(invalidValue(p, name, msg));
      if (!q) errs.push(invalidValue(p, v, QUANTITY_FORMAT_ERROR));
      else if (q.nano < 0n) errs.push(invalidValue(p, v, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, req] of Object.entries(requests)) {
    const lim = limits[name];
    const r = parseQuantity(req);
    const l = lim === undefined ? undefined : parseQuantity(lim);
    if (r && l && r.nano > l.nano) {
      errs.push(invalidValue(key(child(path, 'requests'), name), req, `must be less than or equal to ${name} limit of ${lim}`));
    }
  }
  return errs;
}

function validateProbe(path: string, probe: Probe | undefined): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(child(path, f), probe[f]));
  }
  errs.push(...handlerKindErrors(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], path));
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  const portPath = child(path, probe.httpGet ? 'httpGet.port' : 'tcpSocket.port');
  if (typeof port === 'number') for (const msg of isValidPortNum(port)) errs.push(invalidValue(portPath, port, msg));
  if (typeof port === 'string') for (const msg of isValidPortName(port)) errs.push(invalidValue(portPath, port, msg));
  if (probe.httpGet?.scheme && !['HTTP', 'HTTPS'].includes(probe.httpGet.scheme)) {
    errs.push(notSupported(child(path, 'httpGet.scheme'), probe.httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  return errs;
}

/** Validation common to every container kind (upstream validateContainerCommon plus probes). */
export function validateContainer(path: string, c: Container, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(child(path, 'name')));
  else for (const msg of isDNS1123Label(c.name)) errs.push(invalidValue(child(path, 'name'), c.name, msg));
  if (!c.image) errs.push(required(child(path, 'image')));
  const portNames = new Set<string>();
  for (const [i, p] of (c.ports ?? []).entries()) {
    const pp = index(child(path, 'ports'), i);
    if (p.name) {
      for (const msg of isValidPortName(p.name)) errs.push(invalidValue(child(pp, 'name'), p.name, msg));
      if (portNames.has(p.name)) errs.push(duplicate(child(pp, 'name'), p.name));
      portNames.add(p.name);
    }
    if (p.containerPort === 0) errs.push(required(child(pp, 'containerPort')));
    else for (const msg of isValidPortNum(p.containerPort)) errs.push(invalidValue(child(pp, 'containerPort'), p.containerPort, msg));
    if (p.hostPort) for (const msg of isValidPortNum(p.hostPort)) errs.push(invalidValue(child(pp, 'hostPort'), p.hostPort, msg));
    errs.push(...validateProtocol(child(pp, 'protocol'), p.protocol));
  }
  for (const [i, e] of (c.env ?? []).entries()) {
    const ep = index(child(path, 'env'), i);
    if (!e.name) errs.push(required(child(ep, 'name')));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(e.name)) errs.push(invalidValue(child(ep, 'name'), e.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    if (e.value && e.valueFrom) {
      errs.push(invalidValue(child(ep, 'valueFrom'), '', 'may not be specified when `value` is not empty'));
    }
    const from = e.valueFrom;
    if (from) {
      const n = [from.fieldRef, from.resourceFieldRef, from.configMapKeyRef, from.secretKeyRef, from.fileKeyRef].filter((x) => x).length;
      if (n === 0) errs.push(invalidValue(child(ep, 'valueFrom'), '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      if (n > 1) errs.push(invalidValue(child(ep, 'valueFrom'), '', 'may not have more than one field specified at a time'));
      if (from.fieldRef && !from.fieldRef.fieldPath) errs.push(required(child(ep, 'valueFrom.fieldRef.fieldPath')));
      if (from.configMapKeyRef && !from.configMapKeyRef.key) errs.push(required(child(ep, 'valueFrom.configMapKeyRef.key')));
      if (from.secretKeyRef && !from.secretKeyRef.key) errs.push(required(child(ep, 'valueFrom.secretKeyRef.key')));
    }
  }
  const mountPaths = new Set<string>();
  for (const [i, m] of (c.volumeMounts ?? []).entries()) {
    const mp = index(child(path, 'volumeMounts'), i);
    if (!m.name) errs.push(required(child(mp, 'name')));
    else if (!volumes.has(m.name)) errs.push(notFound(child(mp, 'name'), m.name));
    if (!m.mountPath) errs.push(required(child(mp, 'mountPath')));
    else if (mountPaths.has(m.mountPath)) errs.push(invalidValue(child(mp, 'mountPath'), m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
    errs.push(...validateVolumeMountPaths(m, child(path, 'volumeMounts'), i, c));
  }
  errs.push(...validateResources(child(path, 'resources'), c.resources));
  errs.push(...validateProbe(child(path, 'livenessProbe'), c.livenessProbe));
  errs.push(...validateProbe(child(path, 'readinessProbe'), c.readinessProbe));
  errs.push(...validateProbe(child(path, 'startupProbe'), c.startupProbe));
  if (c.livenessProbe && (c.livenessProbe.successThreshold ?? 1) !== 1) {
    errs.push(invalidValue(child(path, 'livenessProbe.successThreshold'), c.livenessProbe.successThreshold, 'must be 1'));
  }
  errs.push(...enumValue(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  errs.push(...enumValue(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  return errs;
}

function validateVolumes(path: string, spec: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, v] of (spec.volumes ?? []).entries()) {
    const vp = index(path, i);
    if (!v.name) errs.push(required(child(vp, 'name')));
    else for (const msg of isDNS1123Label(v.name)) errs.push(invalidValue(child(vp, 'name'), v.name, msg));
    if (v.name && seen.has(v.name)) errs.push(duplicate(child(vp, 'name'), v.name));
    seen.add(v.name);
    const sources = VOLUME_SOURCE_KEYS.filter((k) => v[k] !== undefined);
    if (sources.length === 0) errs.push(required(vp, 'must specify a volume type'));
    else if (sources.length > 1) errs.push({ type: 'FieldValueForbidden', field: child(vp, sources[1]!), detail: 'Forbidden: may not specify more than 1 volume type' });
    errs.push(...validateVolumeSource(v, vp));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(child(vp, 'persistentVolumeClaim.claimName')));
  }
  return errs;
}

/**
 * validateContainersOnlyForPod: on pod create (not in templates), images may not carry
 * leading or trailing whitespace.
 */
export function validateContainerImagesForPodCreate(spec: PodSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    for (const [i, c] of (spec?.[list] ?? []).entries()) {
      if (c.image && c.image.trim() !== c.image) {
        errs.push(invalidValue(child(index(child(path, list), i), 'image'), c.image, 'must not have leading or trailing whitespace'));
      }
    }
  }
  return errs;
}

/**
 * Validates a (defaulted) PodSpec at `path` (`spec` or `spec.template.spec`). Returns every
 * error; empty means valid.
 */
/**
 * Host ports two containers of the pod both claim (upstream `checkHostPortConflicts`, regular
 * containers only): the later one is a Duplicate of `<protocol>/<hostIP>/<hostPort>`. Pure.
 */
function hostPortConflicts(containers: readonly NonNullable<PodSpec['containers']>[number][], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const claimed = new Set<string>();
  for (const [ci, c] of containers.entries()) {
    for (const [pi, p] of (c.ports ?? []).entries()) {
      if (!p.hostPort) continue;
      const claim = `${p.protocol ?? 'TCP'}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (claimed.has(claim)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), claim));
      else claimed.add(claim);
    }
  }
  return errs;
}

/** Upstream ValidateTolerations, in its order: key, empty-key operator, tolerationSeconds, operator and value, effect. Shared with RuntimeClass `scheduling.tolerations`. */
export function validateTolerations(tolerations: PodSpec['tolerations'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, t] of (tolerations ?? []).entries()) {
    const tp = index(path, i);
    if (t.key) for (const msg of isQualifiedName(t.key)) errs.push(invalidValue(child(tp, 'key'), t.key, msg));
    if (!t.key && t.operator !== 'Exists') errs.push(invalidValue(child(tp, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') errs.push(invalidValue(child(tp, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (!t.operator || t.operator === 'Equal') {
      const problems = isValidLabelValue(t.value ?? '');
      if (problems.length) errs.push(invalidValue(child(tp, 'operator'), t.value ?? '', problems.join(';')));
    } else if (t.operator === 'Exists') {
      if (t.value) errs.push(invalidValue(child(tp, 'operator'), t.value, 'value must be empty when `operator` is \'Exists\''));
    } else {
      errs.push(notSupported(child(tp, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoExecute', 'NoSchedule', 'PreferNoSchedule'].includes(t.effect)) {
      errs.push(notSupported(child(tp, 'effect'), t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
  }
  return errs;
}

/** Upstream validateOverhead: the overhead checked as a container's `limits` (paths `<path>.limits[<name>]`). */
export function validateOverhead(overhead: Record<string, string | number> | undefined, path: string): FieldError[] {
  return overhead ? validateResources(path, { limits: overhead } as Container['resources']) : [];
}

export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  const s = spec ?? {};
  const errs = validateVolumes(child(path, 'volumes'), s);
  const volumeNames = new Set((s.volumes ?? []).map((v) => v.name));
  if (!s.containers?.length) errs.push(required(child(path, 'containers')));
  const names = new Set<string>();
  for (const [list, containers] of [['initContainers', s.initContainers], ['containers', s.containers]] as const) {
    for (const [i, c] of (containers ?? []).entries()) {
      const cp = index(child(path, list), i);
      errs.push(...validateContainer(cp, c, volumeNames), ...validateContainerHostFields(c, cp, list === 'initContainers'));
      if (c.name && names.has(c.name)) errs.push(duplicate(child(cp, 'name'), c.name));
      if (c.name) names.add(c.name);
    }
  }
  errs.push(...hostPortConflicts(s.containers ?? [], child(path, 'containers')));
  errs.push(...enumValue(child(path, 'restartPolicy'), s.restartPolicy, RESTART_POLICIES));
  errs.push(...enumValue(child(path, 'dnsPolicy'), s.dnsPolicy, DNS_POLICIES));
  errs.push(...nonNegative(child(path, 'terminationGracePeriodSeconds'), s.terminationGracePeriodSeconds));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds <= 0) {
    errs.push(invalidValue(child(path, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validateTolerations(s.tolerations, child(path, 'tolerations')));
  errs.push(...validateNodeAffinity(s, path));
  errs.push(...validateTopologySpreadConstraints(s, path));
  if (s.hostname) for (const msg of isDNS1123Label(s.hostname)) errs.push(invalidValue(child(path, 'hostname'), s.hostname, msg));
  if (s.subdomain) for (const msg of isDNS1123Label(s.subdomain)) errs.push(invalidValue(child(path, 'subdomain'), s.subdomain, msg));
  if (s.runtimeClassName !== undefined) for (const msg of isDNS1123Subdomain(s.runtimeClassName)) errs.push(invalidValue(child(path, 'runtimeClassName'), s.runtimeClassName, msg));
  errs.push(...validateOverhead(s.overhead, child(path, 'overhead')));
  errs.push(...validatePodHostFields(s, path));
  return errs;
}
