/**
 * The TokenRequest call (`POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`, upstream
 * client-go `ServiceAccounts(ns).CreateToken`): asks the API server for a token of a service
 * account, optionally bound to a Pod and limited to audiences and a lifetime.
 */
import type { Client } from './index.ts';

/** An authentication.k8s.io/v1 BoundObjectReference (k8ts binds to pods only). */
export interface BoundObjectReference {
  kind: 'Pod' | 'Secret' | 'Node';
  apiVersion: 'v1';
  name: string;
  uid: string;
}

/** The `spec` of an authentication.k8s.io/v1 TokenRequest. */
export interface TokenRequestSpec {
  /** Intended audiences; empty or unset means the API server's own audiences. */
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference;
}

/** An authentication.k8s.io/v1 TokenRequest as sent and as answered (201 with `status`). */
export interface TokenRequest {
  apiVersion?: 'authentication.k8s.io/v1';
  kind?: 'TokenRequest';
  metadata?: { name?: string; namespace?: string };
  spec: TokenRequestSpec;
  status?: { token: string; expirationTimestamp: string };
}

/** Creates a token for service account `name` in `namespace`; rejects with the API's error. */
export function createToken(client: Pick<Client, 'serviceAccounts'>, namespace: string, name: string, request: TokenRequest): Promise<TokenRequest> {
  const body: TokenRequest = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name, namespace }, spec: request.spec };
  return client.serviceAccounts.inNamespace(namespace).subresource<TokenRequest>(name, 'token', { method: 'POST', body });
}
