/**
 * The `audit.k8s.io/v1` Event and the pure pieces it is built from: the object reference of a
 * resource request, the source IPs of a request, the bounded copy of a response Status, the
 * microsecond timestamps, and the managed-fields stripping of `omitManagedFields`.
 */
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { AuditLevel, AuditStage } from './policy.ts';

/** What an event says about the object a resource request is on (empty fields left out, as upstream). */
export interface AuditObjectRef {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** The user as an event records it (an unauthenticated request's is `{}`). */
export interface AuditUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The response's status: the code alone for successes, the bounded Status fields for failures. */
export interface AuditResponseStatus {
  metadata: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  details?: unknown;
  code: number;
}

/** One line of the audit log (`audit.k8s.io/v1` `Event`), keys in upstream's order. */
export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: AuditLevel;
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: AuditObjectRef;
  responseStatus?: AuditResponseStatus;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** The user as recorded (empty fields left out). Pure. */
export function auditUser(user: UserInfo | undefined): AuditUser {
  if (!user) return {};
  const out: AuditUser = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

/** Strips `::ffff:` from an IPv4-mapped address (Go prints those as IPv4). Pure. */
function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Upstream's `SourceIPs`: X-Forwarded-For entries, X-Real-Ip, then the peer address (no repeats of the last). Pure. */
export function sourceIps(headers: Readonly<Record<string, string | string[] | undefined>>, remoteAddress: string | undefined): string[] {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);
  const ips = (first(headers['x-forwarded-for']) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const realIp = first(headers['x-real-ip'])?.trim();
  if (realIp && !ips.includes(realIp)) ips.push(realIp);
  const remote = remoteAddress ? plainIp(remoteAddress) : undefined;
  if (remote && ips[ips.length - 1] !== remote) ips.push(remote);
  return ips;
}

/** A resource request's reference (empty fields left out). Pure. */
export function objectRef(parts: { resource: string; namespace: string; name: string; apiGroup: string; apiVersion: string; subresource: string }): AuditObjectRef {
  const ref: AuditObjectRef = {};
  for (const key of ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource'] as const) {
    if (parts[key]) ref[key] = parts[key];
  }
  return ref;
}

/** Fills what the reference lacks from a request body's metadata (upstream `LogRequestObject`). Pure. */
export function refFromObject(ref: AuditObjectRef, object: unknown): AuditObjectRef {
  const meta = (object as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (!meta || typeof meta !== 'object') return ref;
  const out = { ...ref };
  for (const key of ['namespace', 'name', 'uid', 'resourceVersion'] as const) {
    const value = meta[key];
    if (!out[key] && typeof value === 'string' && value) out[key] = value;
  }
  // Keep upstream's key order (resource, namespace, name, uid, apiGroup, apiVersion, resourceVersion, subresource).
  const ordered: AuditObjectRef = {};
  for (const key of ['resource', 'namespace', 'name', 'uid', 'apiGroup', 'apiVersion', 'resourceVersion', 'subresource'] as const) {
    if (out[key]) ordered[key] = out[key];
  }
  return ordered;
}

/** The response status for `code`, with the bounded fields of a Status body when the answer is one. Pure. */
export function responseStatus(code: number, body: unknown): AuditResponseStatus {
  const status: AuditResponseStatus = { metadata: {}, code };
  const s = body as { kind?: unknown; status?: unknown; message?: unknown; reason?: unknown; details?: unknown } | undefined;
  if (s && typeof s === 'object' && s.kind === 'Status') {
    if (typeof s.status === 'string' && s.status) status.status = s.status;
    if (typeof s.message === 'string' && s.message) status.message = s.message;
    if (typeof s.reason === 'string' && s.reason) status.reason = s.reason;
    if (s.details && typeof s.details === 'object') status.details = s.details;
  }
  return status;
}

/** A copy of `object` (or of each list item) without `metadata.managedFields`. Pure. */
export function withoutManagedFields(object: unknown): unknown {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return object;
  const o = object as { metadata?: Record<string, unknown>; items?: unknown };
  let out: Record<string, unknown> = o as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && 'managedFields' in o.metadata) {
    const { managedFields: _omitted, ...metadata } = o.metadata;
    out = { ...out, metadata };
  }
  if (Array.isArray(o.items)) out = { ...out, items: o.items.map(withoutManagedFields) };
  return out;
}
