/**
 * Test-only: a kubelet token manager whose TokenRequest call is answered locally with a
 * JWT-shaped token for the requested account and lifetime, so kubelet tests that are not about
 * tokens run pods with the default `kube-api-access-*` volume without an API token issuer.
 */
import { realClock } from '../../pkg/workqueue/index.ts';
import { TokenManager } from '../token/token-manager.ts';

/** A {@link TokenManager} issuing unsigned `header.claims.fake` tokens. */
export function fakeTokenManager(): TokenManager {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return new TokenManager({
    clock: realClock,
    getToken: async (namespace, name, request) => {
      const seconds = request.spec.expirationSeconds ?? 3600;
      const now = Math.floor(Date.now() / 1000);
      const token = `${part({ alg: 'none' })}.${part({ sub: `system:serviceaccount:${namespace}:${name}`, iat: now, exp: now + seconds })}.fake`;
      return { ...request, status: { token, expirationTimestamp: new Date((now + seconds) * 1000).toISOString() } };
    },
  });
}
