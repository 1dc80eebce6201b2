/**
 * The description of one served resource (one kind in one group/version). The API server,
 * discovery, OpenAPI, patches and clients are all driven from these values; nothing else
 * hard-codes a kind.
 */
import type { z } from 'zod';
import type { FieldError } from '../errors/index.ts';
import type { KubeObject } from './meta.ts';

/** Verbs as they appear in discovery. */
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * Strategic-merge-patch metadata: for each list or map field, how a patch merges into it.
 * Keys are field paths from the object root with `[]` standing for "each item of the list",
 * e.g. `spec.template.spec.containers[].ports`. Fields not listed are atomic (lists replaced,
 * maps merged recursively), as upstream treats fields without patch tags.
 */
export type PatchMeta = Readonly<Record<string, { strategy: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys'; mergeKey?: string }>>;

/** The `/scale` subresource mapping (autoscaling/v1 Scale). Paths are dotted from the root. */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /** The selector at `labelSelectorPath` is a plain label map (core/v1 ReplicationController), not a LabelSelector. */
  labelSelectorIsMap?: boolean;
}

/**
 * One resource. Contract:
 * - `schema` decodes a wire object: wrong types fail; unknown keys are stripped (the server
 *   reports them as unknown fields by comparing input and output).
 * - `applyDefaults` mutates in place, is idempotent and never throws.
 * - `validate` is pure: it returns every field error with upstream paths and messages
 *   (empty array = valid). `old` is given on update, `context.subresource` on a subresource's.
 * - `prepareForCreate` / `prepareForUpdate` (optional) are the kind's strategy hooks, run by the
 *   server before defaulting: e.g. a Pod's status is reset on create, a `status` is computed.
 */
export interface ResourceInfo<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: `pods`, `deployments`. */
  plural: string;
  /** Singular, lower case: `pod`. */
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  /** Discovery categories, e.g. `['all']`. */
  categories: readonly string[];
  verbs: readonly Verb[];
  schema: z.ZodType<T>;
  subresources: { status: boolean; scale?: ScaleSubresource };
  patchMeta: PatchMeta;
  applyDefaults(obj: T): void;
  /**
   * `context.subresource` names the subresource an update came through (`status`, a kind's
   * `updateSubresources`), for kinds whose rules differ there (a Pod's `ephemeralcontainers`).
   */
  validate(obj: T, old?: T, context?: { subresource?: string }): FieldError[];
  /**
   * `context.user` is the requester (CertificateSigningRequests record it in their spec);
   * `context.now` the server clock's time of the write (PersistentVolumes stamp their phase);
   * `context.warnings` the request's `Warning:` texts, which a hook may append to (upstream's
   * warning.AddWarning from PrepareForCreate: a Pod's deprecated AppArmor annotations).
   */
  prepareForCreate?(obj: T, context?: { user?: { username: string; uid?: string; groups: string[] }; now?: Date; warnings?: string[] }): void;
  prepareForUpdate?(obj: T, old: T): void;
  /** Upstream WarningsOnCreate: `Warning:` headers for a valid object that is created (pure). */
  warningsOnCreate?(obj: T): string[];
  /**
   * Upstream WarningsOnUpdate of the kind's main strategy: `Warning:` headers for a valid update
   * of the object itself (PUT, PATCH, apply; never a subresource's), from the object about to be
   * stored (defaulted, its generation already advanced when its spec changed) and the stored
   * `old` one. Pure.
   */
  warningsOnUpdate?(obj: T, old: T): string[];
  /**
   * Subresources updated like `status` but with their own strategy (CertificateSigningRequest
   * `approval`; a kind may also list `status` here to replace the generic status strategy): from
   * the requested and the stored object, the object to store and the update's field errors.
   * Pure (`context.now` is the server clock's time of the write); `prepareForUpdate` does not
   * run for them.
   */
  updateSubresources?: Readonly<Record<string, (requested: T, stored: T, context?: { now: Date }) => { object: T; errors: FieldError[] }>>;
  /**
   * Field selectors beyond `metadata.name` / `metadata.namespace` (which every kind has):
   * label → value extractor, e.g. `spec.nodeName` on pods.
   */
  fieldSelectors?: Readonly<Record<string, (obj: T) => string | undefined>>;
  /**
   * Set on a served version that is not the storage version (legacy versions such as
   * extensions/v1beta1 Deployment): converts to and from the storage version's objects.
   */
  /**
   * Reshapes a wire object before `schema` decodes it, for versions whose fields were renamed or
   * moved (legacy v1beta1 CRDs): unknown-field detection compares the reshaped input with the
   * decoded output, so a renamed field is not reported as unknown.
   */
  normalizeInput?(input: unknown): unknown;
  /**
   * Top-level fields holding raw JSON (upstream `runtime.RawExtension`, e.g. a ControllerRevision's
   * `data`): stored as sent, `null` members included, where the rest of an object loses them.
   */
  rawFields?: readonly string[];
  /**
   * A review kind (SelfSubjectAccessReview, SelfSubjectReview): `create` is its only verb, the API
   * server answers it in `status` from what it knows of the requester, and nothing is stored.
   */
  review?: true;
  /**
   * A computed kind (metrics.k8s.io NodeMetrics / PodMetrics): `get` and `list` are its only verbs,
   * the API server computes each answer from live data (the kubelets' resource summaries) and
   * nothing is stored or watched.
   */
  computed?: true;
  /**
   * A deprecated kind's `Warning` header, sent with every answer about it (upstream's
   * `v1 ComponentStatus is deprecated in v1.19+`).
   */
  deprecationWarning?: string;
  /**
   * The propagation a DELETE without propagationPolicy / orphanDependents gets (upstream
   * DefaultGarbageCollectionPolicy): batch/v1 Jobs orphan their pods; absent = background.
   */
  defaultPropagationPolicy?: 'Orphan';
  /** Served from a CustomResourceDefinition (JSON merge patch only, deletes return the object). */
  customResource?: boolean;
  /** Custom resources whose CRD is being deleted: creates are refused (405), everything else is served. */
  terminating?: boolean;
  /**
   * The kind's OpenAPI v3 schema when it does not come from `schema` (custom resources: the
   * CRD's `openAPIV3Schema`). Discovery documents use it as is.
   */
  openApiSchema?: Readonly<Record<string, unknown>>;
  /** Table columns besides Name (custom resources: `additionalPrinterColumns`). */
  printerColumns?: readonly PrinterColumn[];
  conversion?: {
    /** The group and version objects are stored as (their storage key uses this group). */
    storageGroup: string;
    storageVersion: string;
    toStorage(obj: T): KubeObject;
    fromStorage(obj: KubeObject): T;
  };
  /**
   * Custom resources whose CRD has a conversion webhook: converts objects between versions (reading
   * any stored version, writing the storage version). When set, `conversion`'s toStorage/fromStorage
   * are not used.
   */
  convertObjects?: ObjectConverter;
}

/**
 * Converts `objects` to `apiVersion`, all in one call (`asList`: they are one list's items, which
 * only changes error texts); objects already at `apiVersion` come back as they are, the rest as new
 * objects in the same order. Rejects with an Error stating why.
 */
export type ObjectConverter = (objects: readonly KubeObject[], apiVersion: string, asList: boolean) => Promise<KubeObject[]>;

/** One Table column computed from a JSONPath (CRD `additionalPrinterColumns`). */
export interface PrinterColumn {
  name: string;
  /** integer, number, string, boolean or date. */
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  /** A simple JSONPath such as `.spec.replicas` or `.status.conditions[0].type`. */
  jsonPath: string;
}

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
