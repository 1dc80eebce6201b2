/**
 * The token manager's TokenRequest call over the kubelet's API client. A 404 from a server
 * whose discovery lists no `serviceaccounts/token` becomes upstream's clearer
 * `the API server does not have TokenRequest endpoints enabled`.
 */
import type { Client } from '../../pkg/client/index.ts';
import { createToken } from '../../pkg/client/create-token.ts';
import { isNotFound } from '../../pkg/errors/index.ts';
import type { GetToken } from './token-manager.ts';

/** A {@link GetToken} that calls `client`. */
export function apiTokenGetter(client: Pick<Client, 'serviceAccounts' | 'rest'>): GetToken {
  let supported = false;
  const tokenRequestsSupported = async (): Promise<boolean> => {
    if (supported) return true;
    const v1 = await client.rest.request<{ resources?: Array<{ name?: string }> }>({ method: 'GET', path: '/api/v1' }).catch(() => undefined);
    supported = (v1?.resources ?? []).some((r) => r.name === 'serviceaccounts/token');
    return supported;
  };
  return async (namespace, name, request) => {
    try {
      return await createToken(client, namespace, name, request);
    } catch (err) {
      if (isNotFound(err) && !(await tokenRequestsSupported())) throw new Error('the API server does not have TokenRequest endpoints enabled');
      throw err;
    }
  };
}
