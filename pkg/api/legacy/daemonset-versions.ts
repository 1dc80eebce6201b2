/**
 * DaemonSet in the versions before apps/v1 that manifests still use — extensions/v1beta1 and
 * apps/v1beta2 — served beside apps/v1 and stored as apps/v1 objects.
 *
 * - extensions/v1beta1 defaults `spec.selector` (and empty `metadata.labels`) from the template
 *   labels, defaults `updateStrategy.type` to OnDelete, lets an update change the selector, and
 *   has the template generation as `spec.templateGeneration` (apps/v1 keeps it in the
 *   `deprecated.daemonset.template.generation` annotation, which that version never shows).
 * - apps/v1beta2 is apps/v1 under another name (selector required, RollingUpdate default).
 */
import { z } from 'zod';
import type { KubeObject } from '../meta.ts';
import type { ResourceInfo } from '../resource.ts';
import { kubeObject } from '../meta.ts';
import { type DaemonSet, DaemonSetSpecSchema, DaemonSetStatusSchema, emptyDaemonSetStatus, TEMPLATE_GENERATION_ANNOTATION, templateGenerationChanged } from '../apps/v1/daemonset.ts';
import { validateDaemonSet } from '../apps/v1/daemonset-validation.ts';
import { defaultSelectorFromTemplate, legacyVersionOf } from './workload-versions.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** extensions/v1beta1 DaemonSet: the apps/v1 shape plus `spec.templateGeneration`. */
export const ExtensionsDaemonSetSchema = kubeObject({
  spec: DaemonSetSpecSchema.extend({ templateGeneration: z.number().int().optional() }).optional(),
  status: DaemonSetStatusSchema.optional(),
});
type ExtensionsDaemonSet = z.infer<typeof ExtensionsDaemonSetSchema>;

/** `meta` with these annotations (none: no `annotations` key). */
function withAnnotations(meta: KubeObject['metadata'], annotations: Record<string, string>): KubeObject['metadata'] {
  const { annotations: _old, ...rest } = meta;
  return Object.keys(annotations).length ? { ...rest, annotations } : rest;
}

/** extensions/v1beta1 → apps/v1: `spec.templateGeneration` moves into the annotation. */
export function toAppsV1(obj: KubeObject): KubeObject {
  const spec = isObject(obj.spec) ? { ...obj.spec } : undefined;
  const generation = spec?.templateGeneration;
  if (spec) delete spec.templateGeneration;
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[TEMPLATE_GENERATION_ANNOTATION];
  if (typeof generation === 'number') annotations[TEMPLATE_GENERATION_ANNOTATION] = String(generation);
  const metadata = withAnnotations(obj.metadata, annotations);
  return { ...obj, metadata, ...(spec ? { spec } : {}) };
}

/** apps/v1 → extensions/v1beta1: the annotation becomes `spec.templateGeneration`. */
export function fromAppsV1(obj: KubeObject): KubeObject {
  const text = obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (text === undefined) return obj;
  const annotations = { ...obj.metadata.annotations };
  delete annotations[TEMPLATE_GENERATION_ANNOTATION];
  const metadata = withAnnotations(obj.metadata, annotations);
  const templateGeneration = /^-?\d+$/.test(text) ? Number(text) : 0;
  return { ...obj, metadata, spec: { ...(isObject(obj.spec) ? obj.spec : {}), templateGeneration } };
}

function extensionsV1beta1(base: ResourceInfo): ResourceInfo {
  const legacy = legacyVersionOf(base, { group: 'extensions', version: 'v1beta1' });
  const conversion = legacy.conversion!;
  const specOf = (obj: KubeObject) => (obj as ExtensionsDaemonSet).spec ?? ((obj as ExtensionsDaemonSet).spec = {});
  return {
    ...legacy,
    schema: z.preprocess(defaultSelectorFromTemplate, ExtensionsDaemonSetSchema) as unknown as ResourceInfo['schema'],
    applyDefaults(obj) {
      const strategy = (specOf(obj).updateStrategy ??= {});
      strategy.type ||= 'OnDelete';
      legacy.applyDefaults(obj);
    },
    prepareForCreate(obj) {
      obj.status = emptyDaemonSetStatus();
      const spec = specOf(obj);
      if (!spec.templateGeneration || spec.templateGeneration < 1) spec.templateGeneration = 1;
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
      const generation = (old as ExtensionsDaemonSet).spec?.templateGeneration ?? 1;
      specOf(obj).templateGeneration = templateGenerationChanged(obj as DaemonSet, old as DaemonSet) ? generation + 1 : generation;
    },
    validate: (obj, old) => validateDaemonSet(obj as DaemonSet, old as DaemonSet | undefined, { selectorImmutable: false }),
    conversion: {
      ...conversion,
      toStorage: (obj) => toAppsV1(conversion.toStorage(obj)),
      fromStorage: (obj) => fromAppsV1(conversion.fromStorage(obj)),
    },
  };
}

/** The legacy DaemonSet resources derived from the apps/v1 one. */
export function legacyDaemonSetResources(base: ResourceInfo): ResourceInfo[] {
  return [extensionsV1beta1(base), legacyVersionOf(base, { group: 'apps', version: 'v1beta2' })];
}
