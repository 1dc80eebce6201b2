/**
 * Auditing for tests without a log file: a policy from its rules and a backend whose events land
 * in memory, read back in the order they were written — all of them, or one request's once its
 * last event (ResponseComplete or Panic) is in.
 */
import type { AuditEvent } from '../audit/event.ts';
import { createLineBackend, type AuditBackend } from '../audit/log-backend.ts';
import { parseAuditPolicy, type AuditPolicy } from '../audit/policy.ts';
import { waitFor } from '../../pkg/testing/wait.ts';

/** A policy and the in-memory events written under it. */
export interface MemoryAudit {
  /** Pass as the server's `audit` option. */
  audit: { policy: AuditPolicy; backend: AuditBackend };
  /** Every event written so far (after flushing what is queued). */
  events(): Promise<AuditEvent[]>;
  /** The events of the request with `auditID`, once its final event (ResponseComplete or Panic, or `finalStage`) is written (polls up to ~2 s, then throws). */
  eventsOf(auditID: string, finalStage?: AuditEvent['stage']): Promise<AuditEvent[]>;
}

/** An `audit.k8s.io/v1` Policy of `rules`, recording into memory. */
export function memoryAudit(rules: unknown[]): MemoryAudit {
  const lines: string[] = [];
  const backend = createLineBackend({ write: async (b) => void lines.push(...b.toString().split('\n').filter(Boolean)), close: async () => {} });
  const policy = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });
  const events = async () => {
    await new Promise((r) => setImmediate(r));
    await backend.flush();
    return lines.map((l) => JSON.parse(l) as AuditEvent);
  };
  const eventsOf = async (auditID: string, finalStage?: AuditEvent['stage']) => {
    const final = (e: AuditEvent) => (finalStage ? e.stage === finalStage : e.stage === 'ResponseComplete' || e.stage === 'Panic');
    return waitFor(`the final audit event of ${auditID}`, async () => {
      const mine = (await events()).filter((e) => e.auditID === auditID);
      return mine.some(final) ? mine : undefined;
    }, { timeoutMs: 2_000, intervalMs: 20 });
  };
  return { audit: { policy, backend }, events, eventsOf };
}
