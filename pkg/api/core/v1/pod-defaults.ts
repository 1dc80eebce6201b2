/**
 * v1 PodSpec defaulting (pkg/apis/core/v1/defaults.go): SetDefaults_PodSpec, _Container,
 * _Probe, _HTTPGetAction, _Volume and friends, plus quantity canonicalisation (the wire form
 * upstream writes back). Idempotent; never throws.
 */
import { canonicalQuantity } from '../../quantity.ts';
import type { Container, EphemeralContainer, Probe } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';
import { VOLUME_SOURCE_KEYS, type Volume } from './pod-volume.ts';

/** Upstream `DefaultTerminationGracePeriodSeconds`. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** Mode 0644, upstream `ConfigMapVolumeSourceDefaultMode` and friends. */
export const DEFAULT_VOLUME_MODE = 420;

type ResourceList = Record<string, string | number>;

/** Rewrites every quantity in a resource list to its canonical string. */
export function canonicaliseResourceList(list: ResourceList | undefined): void {
  if (!list) return;
  for (const [k, v] of Object.entries(list)) list[k] = canonicalQuantity(v);
}

/** `Always` for `:latest` or untagged images (digests count as tagged), else `IfNotPresent`. */
export function defaultImagePullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tail = image.slice(lastSlash + 1);
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return tail.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * `divisor` is a non-pointer Quantity upstream, so it always serialises: `"0"` when unset,
 * else its canonical form.
 */
function defaultResourceFieldRef(ref: { divisor?: string | number } | undefined): void {
  if (ref) ref.divisor = canonicalQuantity(ref.divisor ?? '0');
}

/** Downward API files: fieldRef apiVersion `v1`, resourceFieldRef divisor. */
function defaultDownwardAPIItems(items: { fieldRef?: { apiVersion?: string }; resourceFieldRef?: { divisor?: string | number } }[] | undefined): void {
  for (const item of items ?? []) {
    if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
    defaultResourceFieldRef(item.resourceFieldRef);
  }
}

function defaultHandler(h: { httpGet?: { path?: string; scheme?: string } } | undefined): void {
  if (!h?.httpGet) return;
  h.httpGet.path ||= '/';
  h.httpGet.scheme ||= 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  if (p.grpc) p.grpc.service ??= '';
  defaultHandler(p);
}

function defaultContainer(c: Container | EphemeralContainer): void {
  c.imagePullPolicy ||= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  for (const env of c.env ?? []) {
    const ref = env.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
    defaultResourceFieldRef(env.valueFrom?.resourceFieldRef);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
  canonicaliseResourceList(c.resources?.limits);
  canonicaliseResourceList(c.resources?.requests);
}

function defaultVolume(v: Volume): void {
  if (!VOLUME_SOURCE_KEYS.some((k) => v[k] !== undefined)) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    defaultDownwardAPIItems(v.downwardAPI.items);
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      defaultDownwardAPIItems(s.downwardAPI?.items);
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantity(v.emptyDir.sizeLimit);
  if (v.image) v.image.pullPolicy ||= defaultImagePullPolicy(v.image.reference);
  const claimSpec = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claimSpec) claimSpec.volumeMode ??= 'Filesystem';
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
  if (v.rbd) {
    v.rbd.pool ??= 'rbd';
    v.rbd.user ??= 'admin';
    v.rbd.keyring ??= '/etc/ceph/keyring';
  }
  if (v.azureDisk) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
}

/** SetDefaults_PodSpec and everything below it, in place. */
export function applyPodSpecDefaults(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= 'default-scheduler';
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  if (spec.hostNetwork) {
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const port of c.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
    }
  }
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  canonicaliseResourceList(spec.overhead);
  canonicaliseResourceList(spec.resources?.limits);
  canonicaliseResourceList(spec.resources?.requests);
}

/** SetDefaults_Pod's part for containers: missing requests are copied from limits. */
export function defaultRequestsFromLimits(spec: PodSpec): void {
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || Object.keys(limits).length === 0) continue;
    const requests = (c.resources!.requests ??= {});
    for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  }
}
