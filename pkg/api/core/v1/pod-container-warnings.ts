/**
 * The per-container part of upstream's pod warnings (pkg/api/pod/warnings.go, Kubernetes 1.33):
 * seccomp / AppArmor annotations naming a container that has no such field, fractional byte
 * memory / ephemeral-storage values, environment variables that hide an earlier one, and host
 * ports: a hostIP without hostPort, and ports duplicated or overlapping across all containers.
 * Pure; field paths are rendered as Go's `field.Path` prints them.
 */
import { child, key } from '../../validation/field-errors.ts';
import type { Container } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';
import { fractionalBytes } from './storage-warnings.ts';
import { APPARMOR_CONTAINER_PREFIX } from './pod-apparmor.ts';

/** A container with the path it is found at (`spec.initContainers[0]`, `spec.template.spec.containers[1]`). */
export interface VisitedContainer {
  container: Container;
  path: string;
}

/** Upstream VisitContainersWithPath's order: init containers, containers, ephemeral containers. */
export function containersWithPaths(spec: PodSpec, specPath: string): VisitedContainer[] {
  const lists = [['initContainers', spec.initContainers], ['containers', spec.containers], ['ephemeralContainers', spec.ephemeralContainers]] as const;
  return lists.flatMap(([name, list]) => (list ?? []).map((container, i) => ({ container: container as Container, path: `${child(specPath, name)}[${i}]` })));
}

const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** How a container's warnings are computed: the owning object's annotations path and whether it is a template. */
export interface ContainerWarningContext {
  /** `metadata.annotations` under the template prefix. */
  annotationsPath: string;
  annotations: Readonly<Record<string, string>>;
  /** Pods get their AppArmor warnings elsewhere upstream; only templates warn here. */
  isTemplate: boolean;
  /** The pod-level security context sets an AppArmor profile. */
  podAppArmor: boolean;
}

function annotationWarnings(c: Container, ctx: ContainerWarningContext): string[] {
  const out: string[] = [];
  const seccompKey = SECCOMP_CONTAINER_PREFIX + c.name;
  if (!c.securityContext?.seccompProfile && Object.hasOwn(ctx.annotations, seccompKey)) {
    out.push(`${key(ctx.annotationsPath, seccompKey)}: non-functional in v1.27+; use the "seccompProfile" field instead`);
  }
  const appArmorKey = APPARMOR_CONTAINER_PREFIX + c.name;
  const hasAppArmorField = ctx.podAppArmor || !!c.securityContext?.appArmorProfile;
  if (ctx.isTemplate && !hasAppArmorField && Object.hasOwn(ctx.annotations, appArmorKey)) {
    out.push(`${key(ctx.annotationsPath, appArmorKey)}: deprecated since v1.30; use the "appArmorProfile" field instead`);
  }
  return out;
}

function resourceWarnings(c: Container, path: string): string[] {
  const limits = child(path, 'resources.limits');
  const requests = child(path, 'resources.requests');
  return [
    ...fractionalBytes(key(limits, 'memory'), c.resources?.limits?.memory),
    ...fractionalBytes(key(requests, 'memory'), c.resources?.requests?.memory),
    ...fractionalBytes(key(limits, 'ephemeral-storage'), c.resources?.limits?.['ephemeral-storage']),
    ...fractionalBytes(key(requests, 'ephemeral-storage'), c.resources?.requests?.['ephemeral-storage']),
  ];
}

/**
 * A later definition of a name hides the earlier one unless it is a plain value that refers to
 * it (`X=$(X)suffix`); `valueFrom` and a bare `$(X)` always warn.
 */
function envWarnings(c: Container, path: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [i, env] of (c.env ?? []).entries()) {
    if (!seen.has(env.name)) {
      seen.add(env.name);
      continue;
    }
    const ref = `$(${env.name})`;
    const value = env.value ?? '';
    if (env.valueFrom || value === ref || !value.includes(ref)) {
      out.push(`${child(path, 'env')}[${i}]: hides previous definition of ${JSON.stringify(env.name)}, which may be dropped when using apply`);
    }
  }
  return out;
}

/** The annotation, resource and env warnings of every container, in upstream's order. */
export function containerWarnings(containers: readonly VisitedContainer[], ctx: ContainerWarningContext): string[] {
  return containers.flatMap(({ container, path }) => [...annotationWarnings(container, ctx), ...resourceWarnings(container, path), ...envWarnings(container, path)]);
}

type Port = NonNullable<Container['ports']>[number];

/** Go's `%+v` of the internal ContainerPort struct. */
function goPort(p: Port): string {
  return `{Name:${p.name ?? ''} HostPort:${p.hostPort ?? 0} ContainerPort:${p.containerPort} Protocol:${p.protocol ?? ''} HostIP:${p.hostIP ?? ''}}`;
}

/** How a port relates to an earlier one with the same containerPort and protocol, if it is worth a warning. */
function portConflict(port: Port, other: Port): string | undefined {
  const [ip, otherIP] = [port.hostIP ?? '', other.hostIP ?? ''];
  const [hostPort, otherHostPort] = [port.hostPort ?? 0, other.hostPort ?? 0];
  if (ip === otherIP && hostPort === otherHostPort) return 'duplicate';
  if (hostPort === 0 || otherHostPort === 0) return 'overlapping';
  if (hostPort === otherHostPort && (ip === '') !== (otherIP === '')) return 'dangerously ambiguous';
  return undefined;
}

/** Host IPs without host ports, and ports duplicated or overlapping across all containers. */
export function portWarnings(containers: readonly VisitedContainer[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, { path: string; port: Port }[]>();
  for (const { container, path } of containers) {
    for (const [i, port] of (container.ports ?? []).entries()) {
      const portPath = `${child(path, 'ports')}[${i}]`;
      if ((port.hostIP ?? '') !== '' && (port.hostPort ?? 0) === 0) out.push(`${portPath}: hostIP set without hostPort: ${goPort(port)}`);
      const k = `${port.containerPort}/${port.protocol ?? ''}`;
      const others = seen.get(k) ?? [];
      for (const other of others) {
        const kind = portConflict(port, other.port);
        if (kind) out.push(`${portPath}: ${kind} port definition with ${other.path}`);
      }
      seen.set(k, [...others, { path: portPath, port }]);
    }
  }
  return out;
}
