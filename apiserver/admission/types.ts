/**
 * Admission: the hooks every write passes through, in upstream order —
 * decode → defaulting → `admit` (mutating) → kind validation → `validate` (validating) → storage.
 * A plugin rejects by throwing an ApiError (e.g. `forbidden`, `invalid`); the write then changes
 * nothing. Plugins that reserve something (a ClusterIP, a NodePort) register `onFailure` to
 * release it if the write does not commit, and release on DELETE through `onSuccess`.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { Authorizer } from '../auth/authorizer.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/**
 * Where a plugin records audit annotations (upstream `Attributes.AddAnnotation`): keys are
 * qualified (`pod-security.kubernetes.io/enforce-policy`, `<policy>/<key>`); a key already set
 * keeps its first value. Recording is a no-op for requests the audit policy does not log.
 */
export interface AuditAnnotationSink {
  add(key: string, value: string): void;
}

/** Everything a plugin may look at for one request. */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  info: ResourceInfo;
  /** e.g. `status`, `scale`, `binding`; undefined for the main resource. */
  subresource?: string;
  namespace?: string;
  name: string;
  /** The incoming object (CREATE/UPDATE); mutating plugins may change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE/DELETE). */
  oldObject?: KubeObject;
  /** dryRun=All: plugins must not persist anything. */
  dryRun: boolean;
  /** The request's user, when authentication knows it. */
  user?: UserInfo;
  /** Where a plugin's warnings for the client go (the response's `Warning` headers); absent for in-process writes. */
  warnings?: string[];
  /** Where a plugin's audit annotations go; absent when the request is not audited (no policy, in-process writes). */
  audit?: AuditAnnotationSink;
  /** Run if the write fails after this plugin admitted it (release reservations). */
  onFailure(fn: () => Promise<void>): void;
  /** Run after the write committed. */
  onSuccess(fn: () => Promise<void>): void;
}

/**
 * One admission plugin. Both phases are optional. A phase with nothing to do for a request may
 * return at once (undefined) instead of a promise: the chain only waits for promises, so the
 * plugins a request does not concern cost no promise and no extra turn of the event loop.
 */
export interface AdmissionPlugin {
  readonly name: string;
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

/** What a plugin factory receives from the server at start-up. */
export interface AdmissionContext {
  storage: Storage;
  /** Storage key of an object: `keyFor(info, namespace, name)`. */
  keyFor(info: Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string;
  /** The served kinds (built-in and custom), when the server has a registry: e.g. a policy's paramKind is resolved here. */
  registry?: ResourceRegistry;
  /**
   * The server's authorizer, for the CEL `authorizer` variable of webhook matchConditions and
   * ValidatingAdmissionPolicy expressions (checks run as the request's user). Absent: those
   * expressions fail to evaluate when they name it.
   */
  authorizer?: AdmissionAuthorizer;
}

/** What admission needs of the server's authorizer. */
export type AdmissionAuthorizer = Pick<Authorizer, 'authorize'>;
