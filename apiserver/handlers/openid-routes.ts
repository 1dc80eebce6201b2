/**
 * Service Account Issuer Discovery routes (upstream pkg/routes/openidmetadata.go):
 * `GET /.well-known/openid-configuration` (`application/json`) and `GET /openid/v1/jwks`
 * (`application/jwk-set+json`, RFC 7517 §8.5.1), both pre-rendered and cacheable for an hour.
 * They are ordinary non-resource URLs: the request guard authorizes them like `/version`
 * (RBAC grants them to `system:serviceaccounts` by default). When the documents cannot be built
 * (no tokens, an issuer that is not an https URL, …) the routes are not registered, so the paths
 * answer 404, and the reason is logged as upstream does.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { buildOpenIdMetadata, JWKS_PATH, OPENID_CONFIG_PATH, type OpenIdMetadata } from '../auth/openid-metadata.ts';
import type { ServiceAccountTokenConfig } from '../auth/serviceaccount-keys.ts';
import { joinHostPort } from '../../pkg/net/host-port.ts';

/** The JWKS content type (upstream `mimeJWKS`). */
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json';

/** Registers both routes (and their trailing-slash spellings, which the bootstrap role also names). */
export function registerOpenIdMetadataRoutes(app: FastifyInstance, metadata: OpenIdMetadata): void {
  const cacheControl = `public, max-age=${metadata.maxAgeSeconds}`;
  const serve = (contentType: string, body: string) => async (_req: unknown, reply: FastifyReply) =>
    reply.header('content-type', contentType).header('cache-control', cacheControl).send(Buffer.from(body));
  const config = serve('application/json', metadata.configJson);
  const keys = serve(JWKS_CONTENT_TYPE, metadata.keysetJson);
  for (const path of [OPENID_CONFIG_PATH, `${OPENID_CONFIG_PATH}/`]) app.get(path, config);
  for (const path of [JWKS_PATH, `${JWKS_PATH}/`]) app.get(path, keys);
}

/** What decides whether (and what) the server publishes. */
export interface OpenIdDiscoveryOptions {
  /** The server's service-account token settings (absent: nothing to publish). */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /** `--service-account-jwks-uri`. */
  jwksUri?: string;
  /** Where the cluster reaches the API server (upstream `ExternalAddress`). */
  advertise: { ip: string; port: number };
  logger: Logger;
}

/**
 * The documents this server publishes, or undefined (logged: an error when an issuer is
 * configured, as upstream, since the user likely expects the endpoints; info otherwise).
 */
export function openIdDiscoveryMetadata(options: OpenIdDiscoveryOptions): OpenIdMetadata | undefined {
  const issuer = options.serviceAccountTokens?.verification.issuers[0];
  const result = buildOpenIdMetadata({
    issuer,
    jwksUri: options.jwksUri,
    externalAddress: joinHostPort(options.advertise.ip, options.advertise.port),
    publicKeys: options.serviceAccountTokens?.verification.publicKeys ?? [],
  });
  if (result.ok) return result.metadata;
  const log = options.logger.child({ component: 'serviceaccount-issuer-discovery' });
  if (issuer) log.error({ issuer, reason: result.reason }, 'service account issuer discovery endpoints not enabled');
  else log.info({ reason: result.reason }, 'service account issuer discovery endpoints not enabled');
  return undefined;
}
