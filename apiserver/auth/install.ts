/**
 * Wiring of the {@link RequestGuard} into the server: a fastify `onRequest` hook (every route,
 * including unknown paths) that records the user on the request, and a check for HTTP upgrades
 * (exec/attach/portforward), which fastify does not route.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../pkg/errors/index.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { createAuthorizer, type AuthorizationMode, type Authorizer } from './authorizer.ts';
import { storageNodeRelations } from './node-relations.ts';
import { storageRbacObjects } from './rbac/storage-objects.ts';
import { storageBootstrapTokenSecrets } from './bootstrap-token-secrets.ts';
import { createRequestGuard, type RequestAuthConfig, type RequestGuard } from './request-guard.ts';
import type { ServiceAccountTokenConfig } from './serviceaccount-keys.ts';
import { storageTokenObjects } from './token-objects.ts';
import { createTokenReviewer, type TokenReviewer } from './token-review.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { UpgradeExchange } from '../handlers/upgrade-exchange.ts';

/** The server's authentication and authorization settings (`--token-auth-file`, `--authorization-mode`). */
export interface ServerAuthOptions {
  tokens?: ReadonlyMap<string, UserInfo>;
  /** In order; default `['Node', 'RBAC']`. */
  authorizationModes?: readonly AuthorizationMode[];
  /** Request-header authentication (`--requestheader-*` with the `--client-ca-file` PEM); see {@link RequestAuthConfig.frontProxy}. */
  frontProxy?: RequestAuthConfig['frontProxy'];
}

/** The authorizer of a server whose objects live in `storage` under `keyPrefix` (`--authorization-mode`, default Node,RBAC). */
export function serverAuthorizer(options: ServerAuthOptions, storage: Storage, keyPrefix: string): Authorizer {
  return createAuthorizer(options.authorizationModes ?? ['Node', 'RBAC'], storageNodeRelations(storage, keyPrefix), storageRbacObjects(storage, keyPrefix));
}

/** The token authenticators of a server whose objects live in `storage` under `keyPrefix` (static, bootstrap and service-account tokens). */
export function serverTokenAuthentication(options: ServerAuthOptions | undefined, serviceAccountTokens: ServiceAccountTokenConfig | undefined, storage: Storage, keyPrefix: string): Omit<RequestAuthConfig, 'authorizer'> {
  return {
    tokens: options?.tokens,
    frontProxy: options?.frontProxy,
    bootstrapTokenSecret: storageBootstrapTokenSecrets(storage, keyPrefix),
    ...(serviceAccountTokens ? { serviceAccountTokens: { settings: serviceAccountTokens.verification, objects: storageTokenObjects(storage, keyPrefix) } } : {}),
  };
}

/** The guard over the server's token authenticators, deciding with `authorizer`. */
export function serverGuard(authentication: Omit<RequestAuthConfig, 'authorizer'>, authorizer: Authorizer): RequestGuard {
  return createRequestGuard({ ...authentication, authorizer });
}

/** The TokenReview answerer over the server's token authenticators. */
export function serverTokenReviewer(authentication: Omit<RequestAuthConfig, 'authorizer'>): TokenReviewer {
  return createTokenReviewer(authentication);
}

/** Registers the guard on every request; a refusal answers with its Status. */
export function installRequestGuard(app: FastifyInstance, guard: RequestGuard): void {
  app.addHook('onRequest', async (request) => {
    request.k8sUser = await guard.check(request.raw, request.k8sAudit);
  });
}

/** Checks an upgrade request: the user it acts as, or undefined (after answering with the refusal and closing the socket) when it is refused. */
export async function guardUpgrade(guard: RequestGuard, exchange: UpgradeExchange): Promise<UserInfo | undefined> {
  try {
    return await guard.check(exchange.req, exchange.audit);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    exchange.fail(err);
    return undefined;
  }
}
