/**
 * What every resource handler gets: the server's collaborators and one request's resolved scope.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AuditAnnotationSink } from '../admission/types.ts';
import type { KubeList, KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { AdmissionChain } from '../admission/chain.ts';
import type { KubeletTransport } from './kubelet-client.ts';
import type { Authorizer } from '../auth/authorizer.ts';
import type { PatchEngine } from './patch-engine.ts';
import type { Clock } from '../strategies/time.ts';
import type { TableConverter } from './table.ts';
import { storageKey, storagePrefix } from './objects.ts';
import type { ServiceAccountTokenConfig } from '../auth/serviceaccount-keys.ts';
import type { TokenReviewer } from '../auth/token-review.ts';
import type { MetricsApi } from '../metrics-api/handler.ts';
import type { ComponentProbes } from '../componentstatus/handler.ts';
import type { UpgradeRoutes } from './upgrade-routes.ts';

/** Server-wide collaborators, fixed at start-up. */
export interface ServerContext {
  storage: Storage;
  registry: ResourceRegistry;
  admission: AdmissionChain;
  keyPrefix: string;
  clock: Clock;
  log: FastifyBaseLogger;
  toTable: TableConverter;
  applyPatch: PatchEngine;
  watch: WatchSettings;
  /** How kubelets are reached for logs/exec/attach/port-forward (default: plain HTTP). */
  kubelet?: KubeletTransport;
  /** The authorizer requests pass (AlwaysAllow without authentication); access and rules reviews ask it too. */
  authorizer: Authorizer;
  /** Service-account token verification and (with a signing key) issuing; absent = no service-account tokens. */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /** Answers TokenReviews with the server's token authenticators. */
  reviewToken: TokenReviewer;
  /** Where metrics.k8s.io answers come from (the kubelets' summaries); absent = those kinds answer 503. */
  metricsApi?: MetricsApi;
  /** The components `componentstatuses` probes (scheduler, controller-manager, etcd); absent = an empty list. */
  componentProbes?: ComponentProbes;
  /** Where authorized HTTP upgrades go (pod connect; plugins add theirs, e.g. aggregated API servers). */
  upgrades: UpgradeRoutes;
}

/** Watch timing, injectable so tests can use short bookmark intervals. */
export interface WatchSettings {
  /** How often an idle watch with `allowWatchBookmarks` gets a BOOKMARK (upstream: about a minute). */
  bookmarkIntervalMs: number;
  /** The timeout of a watch without `timeoutSeconds` (upstream: random in [30 min, 60 min)). */
  defaultTimeoutSeconds(): number;
}

/** One request's target: the resource, namespace, name and subresource from the URL. */
export interface RequestScope {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  log: FastifyBaseLogger;
  /** The request's `User-Agent` (default field manager). */
  userAgent?: string;
  /** Who is asking (set when the server authenticates; undefined for in-process calls). */
  user?: { username: string; groups: string[] };
  /** Warnings admission added for the response's `Warning` headers. */
  warnings?: string[];
  /** Where admission's audit annotations go (set on a server with an audit policy). */
  audit?: AuditAnnotationSink;
}

/** The storage key of one object under this server's key prefix. */
export function keyOf(ctx: ServerContext, info: ResourceInfo, namespace: string | undefined, name: string): string {
  return storageKey(info, namespace, name, ctx.keyPrefix);
}

/** The storage prefix listing a resource in one namespace (or all). */
export function prefixOf(ctx: ServerContext, info: ResourceInfo, namespace: string | undefined): string {
  return storagePrefix(info, namespace, ctx.keyPrefix);
}

/** A handler's answer: status code, body and response headers (warnings). */
export interface HandlerResult {
  code: number;
  body: KubeObject | KubeList | Record<string, unknown>;
  warnings?: string[];
  /** Whether Table / PartialObjectMetadata conversion applies to the body (false for Status). */
  transformable?: boolean;
  /** The body's kind when it is not the resource's own (a built-in's Scale), for Table conversion. */
  tableKind?: { group: string; kind: string };
  /** The body is a list (for Table conversion). */
  list?: boolean;
}
