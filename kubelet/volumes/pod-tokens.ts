/**
 * The service-account tokens a pod's projected volumes need, fetched before the volumes are
 * planned (planning is synchronous): one TokenRequest per distinct (audience, lifetime), for
 * the pod's service account, bound to the pod by name and uid (upstream projected volume
 * `collectData`). A failed request is kept as its Error so only the volumes needing it fail.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { TokenRequest } from '../../pkg/client/create-token.ts';

/** A token projection's identity within one pod. Pure. */
export function tokenProjectionKey(audience: string | undefined, expirationSeconds: number | undefined): string {
  return JSON.stringify([audience ?? '', expirationSeconds ?? 3600]);
}

/** The TokenRequest for one projection of `pod` (upstream: no audience → none, meaning the API's). Pure. */
export function podTokenRequest(pod: Pod, audience: string | undefined, expirationSeconds: number | undefined): TokenRequest {
  return {
    spec: {
      ...(audience ? { audiences: [audience] } : {}),
      expirationSeconds: expirationSeconds ?? 3600,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    },
  };
}

/** Fetches every token the pod's volumes project; key → token text or the failure. */
export async function fetchPodTokens(pod: Pod, get: (namespace: string, serviceAccount: string, request: TokenRequest) => Promise<{ token: string }>): Promise<Map<string, string | Error>> {
  const wanted = new Map<string, TokenRequest>();
  for (const v of pod.spec?.volumes ?? []) {
    for (const src of v.projected?.sources ?? []) {
      const t = src.serviceAccountToken;
      if (t) wanted.set(tokenProjectionKey(t.audience, t.expirationSeconds), podTokenRequest(pod, t.audience, t.expirationSeconds));
    }
  }
  const namespace = pod.metadata.namespace ?? 'default';
  const account = pod.spec?.serviceAccountName || 'default';
  const tokens = new Map<string, string | Error>();
  await Promise.all([...wanted].map(async ([key, request]) => {
    tokens.set(key, await get(namespace, account, request).then((t) => t.token, (err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  }));
  return tokens;
}
