/**
 * The request's audit ID (upstream's `WithAuditInit`): every request gets one, with or without an
 * audit policy — the client's `Audit-ID` header when it sent a usable one, else a new UUID — and
 * every response the server writes itself echoes it as `Audit-Id` (Go's canonical spelling of
 * upstream's `Audit-ID`, which is what goes on the wire). With auditing on, the request's events
 * carry the same value as `auditID`.
 */
import { randomUUID } from 'node:crypto';

/** The response header, spelled as upstream's server sends it. */
export const AUDIT_ID_HEADER = 'Audit-Id';

/**
 * Longest client `Audit-ID` kept; a longer one is replaced by a new UUID. (Upstream keeps any
 * non-empty value; the bound keeps a client from writing kilobytes into every audit line.)
 */
const MAX_AUDIT_ID_LENGTH = 512;

/** The audit ID: the client's `Audit-ID` header when usable, else a new UUID. Pure but for the UUID. */
export function auditIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.length <= MAX_AUDIT_ID_LENGTH && !/[\r\n]/.test(value) ? value : randomUUID();
}
