/**
 * ReplicationController ⇄ ReplicaSet, as upstream's `replicationcontroller` controller converts
 * them to run the ReplicaSet controller's logic (pkg/controller/replication/conversion.go):
 * the selector map becomes `matchLabels`, a missing template an empty one; everything else has
 * the same shape. Pure; inputs are never modified.
 */
import type { ReplicaSet } from '../../../pkg/api/apps/v1/replicaset.ts';
import type { ReplicationController } from '../../../pkg/api/core/v1/replicationcontroller.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type RC = ReplicationController | DeepReadonly<ReplicationController>;

/** The ReplicaSet view of a ReplicationController (same name, uid, generation and status). */
export function replicaSetFromRC(rc: RC): ReplicaSet {
  const copy = copyJson(rc as ReplicationController);
  const spec = copy.spec ?? {};
  const { selector, ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: copy.metadata,
    spec: { ...rest, ...(selector ? { selector: { matchLabels: selector } } : {}), template: spec.template ?? {} },
    ...(copy.status ? { status: copy.status } : {}),
  };
}

/** The ReplicationController a (converted) ReplicaSet stands for: `matchLabels` back to a map. */
export function rcFromReplicaSet(rs: ReplicaSet | DeepReadonly<ReplicaSet>): ReplicationController {
  const copy = copyJson(rs as ReplicaSet);
  const spec = copy.spec ?? {};
  const { selector, ...rest } = spec;
  const status = copy.status ? rcStatus(copy.status) : undefined;
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: copy.metadata,
    spec: { ...rest, ...(selector?.matchLabels ? { selector: selector.matchLabels } : {}) },
    ...(status ? { status } : {}),
  };
}

/**
 * A ReplicaSet status as a ReplicationController's: no `terminatingReplicas`, and the counters
 * upstream marks omitempty left out when zero (as the Go client would send them).
 */
export function rcStatus(status: NonNullable<ReplicaSet['status']>): NonNullable<ReplicationController['status']> {
  const { terminatingReplicas: _t, ...rest } = status;
  const out: NonNullable<ReplicationController['status']> = { ...rest, replicas: rest.replicas ?? 0 };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) if (!out[k]) delete out[k];
  return out;
}

/**
 * A lister of ReplicationControllers seen as ReplicaSets: each cached object is converted once
 * (held weakly, so an object replaced in the cache is converted again) and frozen.
 */
export function replicaSetListerOverRCs(rcs: Lister<ReplicationController>): Lister<ReplicaSet> {
  const converted = new WeakMap<object, DeepReadonly<ReplicaSet>>();
  const view = (rc: DeepReadonly<ReplicationController>): DeepReadonly<ReplicaSet> => {
    let rs = converted.get(rc);
    if (!rs) {
      rs = Object.freeze(replicaSetFromRC(rc)) as DeepReadonly<ReplicaSet>;
      converted.set(rc, rs);
    }
    return rs;
  };
  return {
    list: (selector) => rcs.list(selector).map(view),
    listInNamespace: (namespace, selector) => rcs.listInNamespace(namespace, selector).map(view),
    get: (key) => {
      const rc = rcs.get(key);
      return rc && view(rc);
    },
    byIndex: (indexName, value) => rcs.byIndex(indexName, value).map(view),
  };
}
