import { describe, expect, it } from 'vitest';
import { mustReportStatus, statusFingerprint } from './status-report.ts';

const status = (ready: string, heartbeat: string) => ({
  conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: heartbeat, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ok' }],
  nodeInfo: { kubeletVersion: 'v1.33.0+k8ts' },
});

describe('mustReportStatus', () => {
  const reported = { fingerprint: statusFingerprint(status('True', '2026-01-01T00:00:00Z') as never), atMs: 1_000_000 };
  it.each([
    ['never reported', undefined, status('True', 'b'), 1_000_000, true],
    ['only the heartbeat moved, within the interval', reported, status('True', '2026-01-01T00:01:00Z'), 1_060_000, false],
    ['a condition changed', reported, status('False', '2026-01-01T00:01:00Z'), 1_010_000, true],
    ['the interval passed', reported, status('True', '2026-01-01T00:05:00Z'), 1_300_000, true],
  ])('%s', (_name, lastReported, s, nowMs, expected) => expect(mustReportStatus({ status: s as never, lastReported, nowMs, reportIntervalMs: 300_000 })).toBe(expected));
});
