/**
 * NodeRestriction for TokenRequests (upstream noderestriction `admitServiceAccount`): a node may
 * create a service-account token only bound to a Pod (v1, with name and uid) that exists, has
 * that uid, and is scheduled on the node. Pure: the plugin looks the pod up.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';

/** The `spec.boundObjectRef` of a TokenRequest body, as sent. */
export interface BoundObjectRefLike {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

/** What to do with a node's TokenRequest. */
export type TokenRequestVerdict =
  | { allow: true }
  /** Upstream returns the pod's NotFound itself (404), not a Forbidden. */
  | { allow: false; notFound: string }
  | { allow: false; forbidden: string };

/** The pod the request is bound to, by name; undefined when the request is not pod-bound. */
export function boundPodName(tokenRequest: KubeObject | undefined): string | undefined {
  const ref = (tokenRequest as { spec?: { boundObjectRef?: BoundObjectRefLike } } | undefined)?.spec?.boundObjectRef;
  return ref && ref.apiVersion === 'v1' && ref.kind === 'Pod' && ref.name ? ref.name : undefined;
}

/**
 * The verdict for node `node` creating `tokenRequest`, given the bound pod as stored (undefined
 * when missing). Pure.
 */
export function admitNodeTokenRequest(node: string, tokenRequest: KubeObject | undefined, pod: KubeObject | undefined): TokenRequestVerdict {
  const ref = (tokenRequest as { spec?: { boundObjectRef?: BoundObjectRefLike } } | undefined)?.spec?.boundObjectRef;
  const name = boundPodName(tokenRequest);
  if (!ref || !name) return { allow: false, forbidden: 'node requested token not bound to a pod' };
  if (!ref.uid) return { allow: false, forbidden: 'node requested token with a pod binding without a uid' };
  if (!pod) return { allow: false, notFound: name };
  if (ref.uid !== pod.metadata.uid) return { allow: false, forbidden: `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated` };
  if ((pod as { spec?: { nodeName?: string } }).spec?.nodeName !== node) return { allow: false, forbidden: 'node requested token bound to a pod scheduled on a different node' };
  return { allow: true };
}
