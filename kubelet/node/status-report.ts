/**
 * When the kubelet must PATCH its Node status (upstream `nodeStatusReportFrequency`, 5 min with
 * Leases): the status is computed every update period, but only sent when something other than
 * the heartbeat times changed, or when the last report is older than the report interval.
 * Liveness in between comes from the Lease. Pure.
 */
import type { Node } from '../../pkg/api/core/v1/node.ts';
import { canonicalJson } from '../pods/status-equal.ts';

/** Upstream's default `nodeStatusReportFrequency`. */
export const DEFAULT_STATUS_REPORT_INTERVAL_MS = 5 * 60_000;

/** The status without `lastHeartbeatTime`s, canonical JSON — what "changed" means. */
export function statusFingerprint(status: NonNullable<Node['status']>): string {
  return canonicalJson({ ...status, conditions: status.conditions?.map(({ lastHeartbeatTime: _h, ...c }) => c) });
}

/** True when `status` must be sent now. */
export function mustReportStatus(p: { status: NonNullable<Node['status']>; lastReported?: { fingerprint: string; atMs: number }; nowMs: number; reportIntervalMs: number }): boolean {
  if (!p.lastReported) return true;
  if (p.nowMs - p.lastReported.atMs >= p.reportIntervalMs) return true;
  return statusFingerprint(p.status) !== p.lastReported.fingerprint;
}
