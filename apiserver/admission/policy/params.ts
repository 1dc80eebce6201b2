/**
 * The parameter objects one binding evaluates its policy with (upstream generic.CollectParams):
 * no paramKind or no paramRef → one evaluation with `params` null; `paramRef.name` → that object;
 * `paramRef.selector` → every matching object (sorted by namespace/name); none found → no
 * evaluation, or a configuration error under parameterNotFoundAction Deny. Namespaced param kinds
 * are read from `paramRef.namespace`, else from the request's namespace.
 */
import type { ParamKind, ParamRef } from '../../../pkg/api/admissionregistration/v1/policy-types.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';

/** Reads parameter objects of a resolved kind. */
export interface ParamReader {
  get(namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(namespace: string | undefined): Promise<KubeObject[]>;
}

/** A param kind the server serves. */
export interface ResolvedParamKind {
  namespaced: boolean;
  reader: ParamReader;
}

/** Params to evaluate with (`null`: the policy runs with `params` null), or a configuration error. */
export type ParamOutcome = { ok: true; params: Array<KubeObject | null> } | { ok: false; error: string };

/** Upstream `schema.GroupVersionKind.String()`: `apps/v1, Kind=Deployment` (`/v1, Kind=ConfigMap` for core). */
export function gvkString(kind: ParamKind): string {
  const apiVersion = kind.apiVersion ?? '';
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  return `${gv}, Kind=${kind.kind ?? ''}`;
}

const byNamespacedName = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Collects one binding's params. `resolved` is undefined only when the policy has no paramKind. */
export async function collectParams(options: { paramKind?: ParamKind; resolved?: ResolvedParamKind; paramRef?: ParamRef; requestNamespace: string }): Promise<ParamOutcome> {
  const { paramKind, resolved, paramRef } = options;
  if (!paramKind || !paramRef) return { ok: true, params: [null] };
  if (!resolved) return { ok: false, error: `paramKind kind \`${JSON.stringify(paramKind)}\` not known` };
  let namespace: string | undefined;
  if (resolved.namespaced) {
    namespace = paramRef.namespace || options.requestNamespace;
    if (!namespace) return { ok: false, error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  } else if (paramRef.namespace) {
    return { ok: false, error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
  }
  let params: KubeObject[];
  if (paramRef.name) {
    const found = await resolved.reader.get(namespace, paramRef.name);
    params = found ? [found] : [];
  } else if (paramRef.selector) {
    const selector = fromLabelSelector(paramRef.selector);
    params = (await resolved.reader.list(namespace)).filter((o) => selector.matches(o.metadata.labels ?? {})).sort(byNamespacedName);
  } else {
    return { ok: false, error: 'one of name or selector must be provided' };
  }
  if (params.length === 0 && paramRef.parameterNotFoundAction === 'Deny') return { ok: false, error: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
  return { ok: true, params };
}
