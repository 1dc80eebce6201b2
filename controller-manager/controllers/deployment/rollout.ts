/**
 * Deployment rollout decisions (upstream `deployment_util.go`, `rolling.go`, `sync.go`), pure:
 * the pod-template-hash, which ReplicaSet is "new", maxSurge/maxUnavailable resolution, how far
 * to scale the new ReplicaSet up and the old ones down, and the status with its conditions.
 */
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type RS = ReplicaSet | DeepReadonly<ReplicaSet>;
type D = Deployment | DeepReadonly<Deployment>;

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with sorted keys, and null, undefined and empty-object fields dropped: a stable
 * rendering for hashing and comparing templates the way upstream's semantic equality does
 * (`kubectl rollout undo` sends `creationTimestamp: null` and `resources: {}`, which mean the
 * same as no field).
 */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keep = (k: string) => obj[k] !== undefined && obj[k] !== null && stable(obj[k]) !== '{}';
    return `{${Object.keys(obj).sort().filter(keep).map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-32a of the template (+ collisionCount), rendered as upstream's `SafeEncodeString`. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const feed = (text: string) => {
    for (const byte of Buffer.from(text)) {
      h ^= byte;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  feed(stable(template));
  if (collisionCount !== undefined && collisionCount > 0) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(collisionCount);
    for (const byte of b) {
      h ^= byte;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

/** The template without the hash label (what "equal templates" compares). */
export function templateWithoutHash(template: unknown): unknown {
  const t = copyJson(template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (!Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  return t;
}

/** The ReplicaSet whose template equals the Deployment's (oldest if several). */
export function findNewReplicaSet(d: D, rss: readonly RS[]): RS | undefined {
  const want = stable(templateWithoutHash(d.spec?.template));
  return [...rss].sort(byCreation).find((rs) => stable(templateWithoutHash(rs.spec?.template)) === want);
}

export function byCreation(a: RS, b: RS): number {
  return Date.parse(a.metadata.creationTimestamp ?? '0') - Date.parse(b.metadata.creationTimestamp ?? '0') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** An int-or-percent against `total` (surge rounds up, unavailable rounds down). */
export function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable for the Deployment (both 0 → unavailable 1, as upstream). */
export function surgeAndUnavailable(d: D): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge as number | string | undefined, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable as number | string | undefined, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

const specReplicas = (rs: RS) => rs.spec?.replicas ?? 0;
const available = (rs: RS) => rs.status?.availableReplicas ?? 0;
const actual = (rs: RS) => rs.status?.replicas ?? 0;

/** New replicas for the new ReplicaSet in a rolling update (upstream `NewRSNewReplicas`). */
export function newReplicaSetReplicas(d: D, all: readonly RS[], newRS: RS): number {
  const replicas = d.spec?.replicas ?? 1;
  const { maxSurge } = surgeAndUnavailable(d);
  const current = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const maxTotal = replicas + maxSurge;
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
  return specReplicas(newRS) + Math.max(0, scaleUp);
}

/**
 * How far each old ReplicaSet may be scaled down now (upstream `reconcileOldReplicaSets`:
 * unhealthy replicas first, then available ones while `replicas − maxUnavailable` stay
 * available). Returns name → new replicas, oldest first.
 */
export function oldReplicaSetScaleDown(d: D, oldRSs: readonly RS[], newRS: RS): Map<string, number> {
  const replicas = d.spec?.replicas ?? 1;
  const { maxUnavailable } = surgeAndUnavailable(d);
  const all = [...oldRSs, newRS];
  const allPods = all.reduce((n, rs) => n + actual(rs), 0);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(newRS) - available(newRS);
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  const out = new Map<string, number>();
  if (maxScaledDown <= 0) return out;
  const sorted = [...oldRSs].filter((rs) => specReplicas(rs) > 0).sort(byCreation);
  // 1. Unhealthy replicas of old ReplicaSets go first: they do not count as available.
  for (const rs of sorted) {
    if (maxScaledDown <= 0) break;
    const unhealthy = specReplicas(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown, unhealthy);
    out.set(rs.metadata.name as string, specReplicas(rs) - down);
    maxScaledDown -= down;
  }
  // 2. Then available replicas, keeping minAvailable across the Deployment.
  const availableNow = all.reduce((n, rs) => n + available(rs), 0);
  let totalDown = availableNow - minAvailable;
  for (const rs of sorted) {
    if (totalDown <= 0) break;
    const currentTarget = out.get(rs.metadata.name as string) ?? specReplicas(rs);
    if (currentTarget === 0) continue;
    const down = Math.min(currentTarget, totalDown);
    out.set(rs.metadata.name as string, currentTarget - down);
    totalDown -= down;
  }
  return out;
}

/** The highest revision among ReplicaSets. */
export function maxRevision(rss: readonly RS[]): number {
  return Math.max(0, ...rss.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0));
}

/** Old ReplicaSets to delete beyond `revisionHistoryLimit` (empty ones, oldest first). */
export function historyToDelete(d: D, oldRSs: readonly RS[]): RS[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const empty = oldRSs.filter((rs) => specReplicas(rs) === 0 && actual(rs) === 0 && !rs.metadata.deletionTimestamp).sort((a, b) => (Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0)) || byCreation(a, b));
  return empty.slice(0, Math.max(0, empty.length - limit));
}

type Condition = NonNullable<NonNullable<Deployment['status']>['conditions']>[number];

function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: string, previous: readonly Condition[] | undefined): Condition {
  const old = previous?.find((c) => c.type === type);
  const sameStatus = old?.status === status;
  return { type, status, lastUpdateTime: old && sameStatus && old.reason === reason && old.message === message ? old.lastUpdateTime : now, lastTransitionTime: sameStatus && old?.lastTransitionTime ? old.lastTransitionTime : now, reason, message } as Condition;
}

/** What a sync says of the rollout: the Progressing condition's status, reason and message. */
export interface Progress {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * The Progressing condition a sync starts from when the Deployment was paused or resumed
 * (upstream `checkPausedConditions`): paused → Unknown `DeploymentPaused`, resumed → Unknown
 * `DeploymentResumed`; undefined when neither applies or the rollout already timed out.
 */
export function pausedProgress(d: D): Progress | undefined {
  const current = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (current?.reason === 'ProgressDeadlineExceeded') return undefined;
  const pausedBefore = current?.reason === 'DeploymentPaused';
  if (d.spec?.paused && !pausedBefore) return { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' };
  if (!d.spec?.paused && pausedBefore) return { status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' };
  return undefined;
}

/** The status to write (upstream `calculateStatus` + Progressing/Available conditions). */
export function deploymentStatus(d: D, all: readonly RS[], newRS: RS | undefined, now: string, progress: Progress | undefined): NonNullable<Deployment['status']> {
  const replicas = d.spec?.replicas ?? 1;
  const { maxUnavailable } = surgeAndUnavailable(d);
  const availableReplicas = all.reduce((n, rs) => n + available(rs), 0);
  const prev = d.status?.conditions;
  const conditions: Condition[] = [
    availableReplicas >= replicas - maxUnavailable
      ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, prev)
      : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now, prev),
  ];
  const oldProgress = prev?.find((c) => c.type === 'Progressing');
  if (progress) conditions.push(condition('Progressing', progress.status, progress.reason, progress.message, now, prev));
  else if (oldProgress) conditions.push(oldProgress as Condition);
  const status: NonNullable<Deployment['status']> = {
    observedGeneration: d.metadata.generation,
    replicas: all.reduce((n, rs) => n + actual(rs), 0),
    updatedReplicas: newRS ? actual(newRS) : 0,
    readyReplicas: all.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0),
    availableReplicas,
    unavailableReplicas: Math.max(0, all.reduce((n, rs) => n + specReplicas(rs), 0) - availableReplicas),
    conditions: conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0)),
    ...(d.status?.collisionCount ? { collisionCount: d.status.collisionCount } : {}),
  };
  return status;
}
