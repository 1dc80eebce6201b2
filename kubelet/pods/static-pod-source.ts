/**
 * The kubelet's file pod source: static pods read from `--pod-manifest-path` and their mirror
 * pods in the API (upstream's file config source plus `mirrorPodClient`).
 */
import type { Logger } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Client } from '../../pkg/client/index.ts';
import { isNotFound } from '../../pkg/errors/index.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { CONFIG_MIRROR, mirrorPodFor, readStaticPods } from './static-pods.ts';

/** What {@link StaticPodSource} needs. */
export interface StaticPodSourceOptions {
  client: Client;
  clock: Clock;
  log: Logger;
  nodeName: string;
  /** The manifest directory; without it the source is empty and counts as read. */
  manifestDir?: string;
  /** Called with the UID of every static pod added, changed, kept or removed by a refresh. */
  changed: (uid: string) => void;
}

/**
 * The static pods of this node by UID. Contract: {@link refresh} replaces the set with what the
 * manifest directory holds (an unreadable manifest is logged and skipped), wakes every pod in
 * either set, and deletes the mirror pods of removed ones; {@link ensureMirror} creates the
 * mirror of a static pod, replacing a mirror that belongs to another UID.
 */
export class StaticPodSource {
  private pods = new Map<string, Pod>();
  private readOnce = false;

  constructor(private readonly options: StaticPodSourceOptions) {}

  /** Whether the manifests have been read once (a pod source upstream waits for before deleting). */
  get ready(): boolean {
    return !this.options.manifestDir || this.readOnce;
  }

  get(uid: string): Pod | undefined {
    return this.pods.get(uid);
  }

  has(uid: string): boolean {
    return this.pods.has(uid);
  }

  list(): Pod[] {
    return [...this.pods.values()];
  }

  /** Reads the manifest directory: new or changed static pods sync, removed ones stop. */
  async refresh(): Promise<void> {
    const { clock, log, manifestDir, nodeName } = this.options;
    if (!manifestDir) return;
    const { pods, errors } = await readStaticPods(manifestDir, nodeName, new Date(clock.now()).toISOString());
    for (const e of errors) log.warn({ file: e.file, reason: e.message }, 'skipping static pod manifest');
    this.readOnce = true;
    const next = new Map(pods.map((p) => [p.metadata.uid as string, p]));
    const removed = [...this.pods.values()].filter((p) => !next.has(p.metadata.uid as string));
    this.pods = next;
    for (const uid of next.keys()) this.options.changed(uid);
    for (const p of removed) {
      this.options.changed(p.metadata.uid as string);
      const pods = this.options.client.pods.inNamespace(p.metadata.namespace ?? 'default');
      const mirror = await pods.get(p.metadata.name as string).catch(() => undefined);
      if (mirror && mirror.metadata.annotations?.[CONFIG_MIRROR] === p.metadata.uid) {
        await pods.delete(p.metadata.name as string, { gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata.uid } }).catch(() => undefined);
      }
    }
  }

  /** The static pod's mirror in the API, created (or replaced when stale) as needed. */
  async ensureMirror(pod: Pod): Promise<Pod> {
    const { client, nodeName } = this.options;
    const pods = client.pods.inNamespace(pod.metadata.namespace ?? 'default');
    const name = pod.metadata.name as string;
    const existing = await pods.get(name).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    if (existing && existing.metadata.annotations?.[CONFIG_MIRROR] === pod.metadata.uid) return existing;
    if (existing) await pods.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: existing.metadata.uid } }).catch(() => undefined);
    const node = await client.nodes.get(nodeName);
    return pods.create(mirrorPodFor(pod, { name: nodeName, uid: node.metadata.uid as string }));
  }
}
