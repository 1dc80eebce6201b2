/**
 * Legacy API versions users still paste from old tutorials — extensions/v1beta1,
 * apps/v1beta1 and apps/v1beta2 Deployments and ReplicaSets — served beside apps/v1 and stored
 * as apps/v1 objects (upstream removed them in 1.16; we keep accepting them).
 *
 * Each is derived from the apps/v1 resource: same schema and validation, plus the defaulting
 * those versions had (selector and labels from the template, their own rollout defaults) and a
 * conversion that only renames `apiVersion` (the shapes are compatible field by field).
 */
import { z } from 'zod';
import type { KubeObject } from '../meta.ts';
import type { ResourceInfo } from '../resource.ts';
import { copyJson } from '../../util/json-copy.ts';
import { applyLegacyStatefulSetDefaults } from './statefulset-versions.ts';

export interface LegacyVersion {
  group: 'extensions' | 'apps';
  version: 'v1beta1' | 'v1beta2';
}

type Json = Record<string, unknown>;
const maxInt32 = 2147483647;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** extensions/v1beta1 and apps/v1beta1 defaulted a missing selector from the template labels. */
function defaultsSelector(v: LegacyVersion): boolean {
  return v.version === 'v1beta1';
}

function templateLabels(obj: Json): Record<string, string> | undefined {
  const spec = obj.spec;
  if (!isObject(spec) || !isObject(spec.template) || !isObject(spec.template.metadata)) return undefined;
  const labels = spec.template.metadata.labels;
  return isObject(labels) && Object.keys(labels).length ? (labels as Record<string, string>) : undefined;
}

/** Fills `spec.selector` (and empty `metadata.labels`) from the template, as those versions did. */
export function defaultSelectorFromTemplate(input: unknown): unknown {
  if (!isObject(input)) return input;
  const labels = templateLabels(input);
  if (!labels) return input;
  const obj = copyJson(input);
  const spec = obj.spec as Json;
  if (spec.selector === undefined || spec.selector === null) spec.selector = { matchLabels: { ...labels } };
  const meta = isObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  if (!isObject(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
  return obj;
}

function applyRolloutDefaults(obj: KubeObject, v: LegacyVersion): void {
  if (obj.kind !== 'Deployment' || !isObject(obj.spec)) return;
  const spec = obj.spec;
  if (v.group === 'extensions') {
    spec.revisionHistoryLimit ??= maxInt32;
    spec.progressDeadlineSeconds ??= maxInt32;
    const strategy = isObject(spec.strategy) ? spec.strategy : (spec.strategy = { type: 'RollingUpdate' });
    if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
      strategy.type = 'RollingUpdate';
      const ru = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {});
      ru.maxUnavailable ??= 1;
      ru.maxSurge ??= 1;
    }
  } else if (v.version === 'v1beta1') {
    spec.revisionHistoryLimit ??= 2;
  }
}

/** The legacy form of an apps/v1 resource, stored as apps/v1. */
export function legacyVersionOf(base: ResourceInfo, v: LegacyVersion): ResourceInfo {
  const apiVersion = `${v.group}/${v.version}`;
  const storageApiVersion = `${base.group}/${base.version}`;
  const schema = defaultsSelector(v) ? z.preprocess(defaultSelectorFromTemplate, base.schema) : base.schema;
  return {
    ...base,
    group: v.group,
    version: v.version,
    // Listed once in `kubectl get all`, under apps/v1; and no short names, or kubectl warns
    // `short name "deploy" could also match lower priority resource deployments.extensions`.
    categories: [],
    shortNames: [],
    schema: schema as ResourceInfo['schema'],
    applyDefaults(obj) {
      applyRolloutDefaults(obj, v);
      applyLegacyStatefulSetDefaults(base.kind, obj, v);
      base.applyDefaults(obj);
    },
    conversion: {
      storageGroup: base.group,
      storageVersion: base.version,
      toStorage: (obj) => ({ ...obj, apiVersion: storageApiVersion }),
      fromStorage: (obj) => ({ ...obj, apiVersion }),
    },
  };
}

/** The versions each workload kind was served in before apps/v1. */
export const LEGACY_VERSIONS: Readonly<Record<string, readonly LegacyVersion[]>> = {
  Deployment: [
    { group: 'extensions', version: 'v1beta1' },
    { group: 'apps', version: 'v1beta1' },
    { group: 'apps', version: 'v1beta2' },
  ],
  ReplicaSet: [
    { group: 'extensions', version: 'v1beta1' },
    { group: 'apps', version: 'v1beta2' },
  ],
  StatefulSet: [
    { group: 'apps', version: 'v1beta1' },
    { group: 'apps', version: 'v1beta2' },
  ],
};

/** Legacy ResourceInfos for the given apps/v1 resources (Deployment, ReplicaSet). */
export function legacyWorkloadResources(bases: ResourceInfo[]): ResourceInfo[] {
  return bases.flatMap((base) => (LEGACY_VERSIONS[base.kind] ?? []).map((v) => legacyVersionOf(base, v)));
}
