/**
 * Pure decisions of the Website operator: the Deployment and Service a Website should own (as
 * server-side apply configurations), whether the cached children already match them, and the
 * status the Website should show. No I/O; `operator.ts` does the reading and writing.
 */
import type { DeepReadonly } from 'k8ts/informer';
import { newControllerRef } from 'k8ts/runtime';
import { setStatusCondition } from 'k8ts/runtime';
import { WEBSITE_API_VERSION, type DeploymentLike, type ServiceLike, type Website, type WebsiteStatus } from './types.ts';

type Ro<T> = T | DeepReadonly<T>;

/** The server-side defaults of the CRD schema, for objects read before defaulting (never on the wire). */
export const DEFAULT_REPLICAS = 1;
export const DEFAULT_PORT = 80;
/** The condition type the operator maintains. */
export const READY = 'Ready';

/** `app.kubernetes.io/name: <name>` — the children's labels and the Deployment/Service selector. */
export function websiteLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

function ownerRef(website: Ro<Website>) {
  return newControllerRef(website, { apiVersion: WEBSITE_API_VERSION, kind: 'Website' });
}

function portOf(website: Ro<Website>): number {
  return website.spec.port ?? DEFAULT_PORT;
}

/** The Deployment `<name>` a Website owns: its image on its port, `replicas` pods, controller ref to it. */
export function desiredDeployment(website: Ro<Website>): DeploymentLike {
  const name = website.metadata.name as string;
  const labels = websiteLabels(name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: website.metadata.namespace, labels, ownerReferences: [ownerRef(website)] },
    spec: {
      replicas: website.spec.replicas ?? DEFAULT_REPLICAS,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: website.spec.image, ports: [{ name: 'http', containerPort: portOf(website), protocol: 'TCP' }] }] },
      },
    },
  };
}

/** The Service `<name>` a Website owns: `port` → the pods' `port`, selecting the Deployment's pods. */
export function desiredService(website: Ro<Website>): ServiceLike {
  const name = website.metadata.name as string;
  const labels = websiteLabels(name);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: website.metadata.namespace, labels, ownerReferences: [ownerRef(website)] },
    spec: { selector: labels, ports: [{ name: 'http', port: portOf(website), targetPort: portOf(website), protocol: 'TCP' }] },
  };
}

/** True when `child` is controlled by the Website with this uid. */
export function isControlledBy(child: Ro<DeploymentLike | ServiceLike>, websiteUid: string | undefined): boolean {
  return (child.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === websiteUid);
}

/** True when another controller owns `child`: the operator must not take it over. */
export function isControlledByOther(child: Ro<DeploymentLike | ServiceLike>, websiteUid: string | undefined): boolean {
  return (child.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid !== websiteUid);
}

function labelsInclude(have: Readonly<Record<string, string>> | undefined, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => have?.[k] === v);
}

/** True when the cached Deployment already has everything {@link desiredDeployment} sets (no write needed). */
export function deploymentMatches(current: Ro<DeploymentLike> | undefined, desired: DeploymentLike): boolean {
  if (!current) return false;
  const want = desired.spec!;
  const have = current.spec;
  const wantContainer = want.template!.spec!.containers![0]!;
  const haveContainer = have?.template?.spec?.containers?.find((c) => c.name === wantContainer.name);
  return (
    isControlledBy(current, desired.metadata.ownerReferences![0]!.uid) &&
    labelsInclude(current.metadata.labels, desired.metadata.labels!) &&
    have?.replicas === want.replicas &&
    labelsInclude(have?.template?.metadata?.labels, want.template!.metadata!.labels!) &&
    haveContainer?.image === wantContainer.image &&
    (haveContainer?.ports ?? []).some((p) => p.containerPort === wantContainer.ports![0]!.containerPort)
  );
}

/** True when the cached Service already has everything {@link desiredService} sets. */
export function serviceMatches(current: Ro<ServiceLike> | undefined, desired: ServiceLike): boolean {
  if (!current) return false;
  const want = desired.spec!.ports![0]!;
  const have = (current.spec?.ports ?? []).find((p) => p.name === want.name);
  return (
    isControlledBy(current, desired.metadata.ownerReferences![0]!.uid) &&
    labelsInclude(current.metadata.labels, desired.metadata.labels!) &&
    labelsInclude(current.spec?.selector, desired.spec!.selector!) &&
    Object.keys(current.spec?.selector ?? {}).length === Object.keys(desired.spec!.selector!).length &&
    have?.port === want.port &&
    have?.targetPort === want.targetPort
  );
}

/** `http://<name>.<namespace>.svc.cluster.local:<port>` */
export function websiteUrl(website: Ro<Website>): string {
  return `http://${website.metadata.name}.${website.metadata.namespace}.svc.cluster.local:${portOf(website)}`;
}

/**
 * The status a Website should have given its Deployment (undefined: not created yet).
 * `Ready` is True once the Deployment has at least `replicas` available pods. The condition's
 * `lastTransitionTime` is kept while its status does not change, and is `now` otherwise.
 */
export function desiredStatus(website: Ro<Website>, deployment: Ro<DeploymentLike> | undefined, now: string): WebsiteStatus {
  const wanted = website.spec.replicas ?? DEFAULT_REPLICAS;
  const available = deployment?.status?.availableReplicas ?? 0;
  const ready = deployment !== undefined && available >= wanted;
  const reason = !deployment ? 'DeploymentNotFound' : ready ? 'ReplicasAvailable' : 'ReplicasUnavailable';
  const message = !deployment ? `Deployment ${website.metadata.name} does not exist yet` : `${available}/${wanted} replicas available`;
  const conditions = setStatusCondition(website.status?.conditions, { type: READY, status: ready ? 'True' : 'False', reason, message, observedGeneration: website.metadata.generation }, now);
  return { availableReplicas: available, url: websiteUrl(website), conditions };
}

/** True when writing `next` would change what the Website shows (ignores key order). */
export function statusDiffers(current: Ro<WebsiteStatus> | undefined, next: WebsiteStatus): boolean {
  return canonical(current ?? {}) !== canonical(next);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
