/**
 * Container environment as the kubelet builds it (upstream `makeEnvironmentVariables`):
 * `envFrom` sources first (ConfigMap/Secret keys with an optional prefix; invalid names skipped),
 * then `env` entries in order with `$(VAR)` expanded against the variables defined so far
 * (`$$` escapes), values from the downward API (`fieldRef`, `resourceFieldRef`),
 * `configMapKeyRef` and `secretKeyRef`, then the Service variables the container does not define
 * itself (`$(VAR)` may name them too). Pure: lookups are injected. A missing non-optional
 * source is an {@link EnvError}, which the pod sync reports as `CreateContainerConfigError`.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { quantityToMilli } from '../../pkg/api/quantity.ts';

/** What env resolution may look up. `undefined` = the object does not exist. */
export interface EnvSources {
  configMap(namespace: string, name: string): Readonly<Record<string, string>> | undefined;
  /** Secret data, already base64-decoded. */
  secret(namespace: string, name: string): Readonly<Record<string, string>> | undefined;
  podIP: string;
  podIPs: readonly string[];
  hostIP: string;
  nodeName: string;
  /** Node allocatable, for resourceFieldRef limits without a container limit. */
  nodeAllocatable: Readonly<Record<string, string>>;
  /** The Service variables (`service-env.ts`): `$(VAR)` may name them; the container's own win. */
  serviceEnv?: Readonly<Record<string, string>>;
  /**
   * Told, once per `envFrom` source with keys that are no environment variable names, upstream's
   * `InvalidEnvironmentVariableNames` warning (the keys, prefixed and sorted, are skipped).
   */
  invalidNames?(message: string): void;
}

/** A missing ConfigMap/Secret/key: the message is the kubelet's. */
export class EnvError extends Error {}

/** Expands `$(NAME)` references (upstream third_party/forked/golang/expansion). */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A downward-API `fieldRef` value (env and downwardAPI volumes). */
export function fieldValue(pod: Pod, path: string, sources: Pick<EnvSources, 'podIP' | 'podIPs' | 'hostIP' | 'nodeName'>): string {
  const meta = pod.metadata;
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName || sources.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return sources.hostIP;
    case 'status.hostIPs':
      return sources.hostIP;
    case 'status.podIP':
      return sources.podIP;
    case 'status.podIPs':
      return sources.podIPs.join(',');
    default:
      throw new EnvError(`unsupported fieldPath: ${path}`);
  }
}

/** A downward-API `resourceFieldRef` value, rounded up to the divisor. */
export function resourceValue(pod: Pod, container: Container | undefined, ref: { containerName?: string; resource: string; divisor?: string | number }, sources: Pick<EnvSources, 'nodeAllocatable'>): string {
  const target = ref.containerName ? (pod.spec?.containers ?? []).find((c) => c.name === ref.containerName) : container;
  const [kind, resource] = ref.resource.split('.') as ['limits' | 'requests', string];
  const fromContainer = target?.resources?.[kind]?.[resource] ?? (kind === 'limits' ? undefined : target?.resources?.limits?.[resource]);
  const value = fromContainer ?? (kind === 'limits' ? sources.nodeAllocatable[resource] : undefined) ?? '0';
  const divisorMilli = quantityToMilli(ref.divisor ?? (resource === 'cpu' ? '1' : '1'));
  // Upstream rounds up: ceil(value / divisor).
  return String(Math.ceil(quantityToMilli(value) / Math.max(divisorMilli, 1)));
}

/** The environment of `container` in `pod`, in the order the runtime receives it. */
export function resolveEnv(pod: Pod, container: Container, sources: EnvSources): Array<{ key: string; value: string }> {
  const ns = pod.metadata.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const isSecret = Boolean(from.secretRef);
    const data = isSecret ? sources.secret(ns, ref.name) : sources.configMap(ns, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new EnvError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(data)) {
      if (ENV_NAME.test(prefix + k)) vars.set(prefix + k, v);
      else invalid.push(prefix + k);
    }
    if (invalid.length > 0) {
      sources.invalidNames?.(`Keys [${invalid.sort().join(', ')}] from the EnvFrom ${isSecret ? 'secret' : 'configMap'} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`);
    }
  }
  const serviceEnv = sources.serviceEnv ?? {};
  const lookup = (name: string) => vars.get(name) ?? (Object.hasOwn(serviceEnv, name) ? serviceEnv[name] : undefined);
  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    let value: string | undefined;
    if (!from) value = expandVars(env.value ?? '', lookup);
    else if (from.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath, sources);
    else if (from.resourceFieldRef) value = resourceValue(pod, container, from.resourceFieldRef as { containerName?: string; resource: string; divisor?: string }, sources);
    else if (from.configMapKeyRef || from.secretKeyRef) {
      const ref = (from.configMapKeyRef ?? from.secretKeyRef) as { name?: string; key: string; optional?: boolean };
      const isSecret = Boolean(from.secretKeyRef);
      const data = isSecret ? sources.secret(ns, ref.name ?? '') : sources.configMap(ns, ref.name ?? '');
      if (!data) {
        if (ref.optional) continue;
        throw new EnvError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
      }
      if (!(ref.key in data)) {
        if (ref.optional) continue;
        throw new EnvError(`couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}`);
      }
      value = data[ref.key];
    }
    if (value !== undefined) vars.set(env.name, value);
  }
  for (const [key, value] of Object.entries(serviceEnv)) if (!vars.has(key)) vars.set(key, value);
  return [...vars].map(([key, value]) => ({ key, value }));
}
