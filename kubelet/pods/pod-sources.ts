/**
 * The pods this kubelet runs, from its two sources (upstream's pod config sources and pod
 * manager): API pods bound to the node, from an informer field-selected on `spec.nodeName` and
 * indexed by UID, and static pods from `--pod-manifest-path` ({@link StaticPodSource}). A mirror
 * pod in the API stands for its static pod: it is never a pod of its own here, and a change to it
 * wakes the static pod's UID.
 */
import type { Logger } from 'pino';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES, type Client } from '../../pkg/client/index.ts';
import { deletedObject, SharedInformerFactory, type SharedInformer } from '../../pkg/informer/index.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { RunningPodRef } from '../stats/collector.ts';
import { podUpdateNeedsSync } from './pod-update-filter.ts';
import { StaticPodSource } from './static-pod-source.ts';
import { CONFIG_MIRROR, isMirrorPod } from './static-pods.ts';

const UID_INDEX = 'uid';

/** What {@link PodSources} needs. */
export interface PodSourcesOptions {
  client: Client;
  clock: Clock;
  log: Logger;
  nodeName: string;
  /** The static pods' manifest directory; unset = no static pods. */
  manifestDir?: string;
  /** Called with the UID of a pod that was added, changed or deleted in either source (a mirror's: its static pod's). */
  changed(uid: string): void;
}

/** The UID a change to an API pod wakes: a mirror pod's events concern its static pod (e.g. a deleted mirror is recreated). */
function wakesUid(p: { metadata: { uid?: string; annotations?: Record<string, string> } }): string {
  return isMirrorPod(p) ? (p.metadata.annotations?.[CONFIG_MIRROR] as string) : (p.metadata.uid as string);
}

/**
 * Contract: {@link byUid} and {@link local} answer only pods this kubelet runs (never a mirror
 * pod); the API side answers from the informer's cache (read-only) and is complete once
 * {@link waitForSync} resolved; {@link allReady} says both sources have been read once (what
 * upstream waits for before it removes what belongs to no pod).
 */
export class PodSources {
  private readonly factory: SharedInformerFactory;
  private readonly informer: SharedInformer<Pod>;
  /** The static pods and their mirrors. */
  readonly staticPods: StaticPodSource;

  constructor(options: PodSourcesOptions) {
    const { client, clock, log, nodeName } = options;
    this.factory = new SharedInformerFactory(client, { clock, logger: log });
    this.informer = this.factory.forResource<Pod>(BUILTIN_COORDINATES.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
    this.informer.addIndexers({ [UID_INDEX]: (p) => [p.metadata.uid as string] });
    this.staticPods = new StaticPodSource({ client, clock, log, nodeName, manifestDir: options.manifestDir, changed: (uid) => options.changed(uid) });
    this.informer.addEventHandler({
      onAdd: (p) => options.changed(wakesUid(p)),
      onUpdate: (o, p) => {
        if (podUpdateNeedsSync(o, p)) options.changed(wakesUid(p));
      },
      // A deleted pod's worker cleans up what is left of it (a terminal pod is deleted at once,
      // without a graceful termination, and its runtime state need not change for the PLEG to see).
      onDelete: (p) => options.changed(wakesUid(deletedObject(p))),
    });
  }

  /** The pod of this UID this kubelet runs (a static pod, or an API pod that is not a mirror). */
  byUid(uid: string): Pod | undefined {
    const pod = this.staticPods.get(uid) ?? (this.informer.store().byIndex(UID_INDEX, uid)[0] as Pod | undefined);
    return pod && !isMirrorPod(pod) ? pod : undefined;
  }

  /** The pods this kubelet runs: API pods bound to it (not mirrors) and static pods. */
  local(): Pod[] {
    const api = (this.informer.store().list() as Pod[]).filter((p) => !isMirrorPod(p));
    return [...api, ...this.staticPods.list()];
  }

  /** {@link local} as the usage view names them. */
  running(): RunningPodRef[] {
    return this.local().map((p) => ({ uid: p.metadata.uid as string, name: p.metadata.name as string, namespace: p.metadata.namespace ?? 'default' }));
  }

  /** An API pod bound to this node (mirrors included), by namespace and name. */
  apiPod(namespace: string, name: string): Pod | undefined {
    return this.informer.store().get(`${namespace}/${name}`) as Pod | undefined;
  }

  /** The API pods bound to this node (mirrors included). */
  apiPods(): Pod[] {
    return this.informer.store().list() as Pod[];
  }

  /** Whether the API pods were listed and the manifests read once. */
  allReady(): boolean {
    return this.informer.hasSynced() && this.staticPods.ready;
  }

  /** Starts the informer. */
  start(signal: AbortSignal): void {
    this.factory.start(signal);
  }

  /** Resolves once the informer has listed the node's pods. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    return this.informer.waitForSync(signal);
  }

  /** Stops the informer. */
  shutdown(): Promise<void> {
    return this.factory.shutdown();
  }
}
