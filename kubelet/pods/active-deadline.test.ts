import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { pastActiveDeadline } from './active-deadline.ts';

const pod = (activeDeadlineSeconds?: number, startTime?: string) => ({ metadata: { name: 'p' }, spec: { activeDeadlineSeconds, containers: [] }, status: { startTime } }) as unknown as Pod;
const start = Date.parse('2026-01-01T00:00:00Z');

describe('pastActiveDeadline', () => {
  it.each([
    [pod(5, '2026-01-01T00:00:00Z'), start + 4_999, false],
    [pod(5, '2026-01-01T00:00:00Z'), start + 5_000, true],
    [pod(undefined, '2026-01-01T00:00:00Z'), start + 1e9, false],
    [pod(5), start + 1e9, false],
  ])('%j at %d → %s', (p, now, expected) => expect(pastActiveDeadline(p, now)).toBe(expected));
});
