/** The default ServiceCIDR: the pure decision table, and a stored one with other CIDRs left alone and reported. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import { testContext } from '../admission/admission-test-kit.ts';
import type { RepairEvent } from '../admission/storage-events.ts';
import { decideDefaultServiceCIDR, ensureDefaultServiceCIDR } from './default-service-cidr.ts';

const sc = (cidrs: string[], ready?: string, deleting = false): ServiceCIDR => ({
  metadata: { name: 'kubernetes', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec: { cidrs },
  ...(ready ? { status: { conditions: [{ type: 'Ready', status: ready }] } } : {}),
});

describe('decideDefaultServiceCIDR', () => {
  it.each([
    ['missing', undefined, 'create'],
    ['same CIDRs, no condition', sc(['10.96.0.0/12']), 'set-ready'],
    ['same CIDRs, Unknown', sc(['10.96.0.0/12'], 'Unknown'), 'set-ready'],
    ['same CIDRs, Ready', sc(['10.96.0.0/12'], 'True'), 'none'],
    ['same CIDRs, Ready=False set by someone else', sc(['10.96.0.0/12'], 'False'), 'none'],
    ['other CIDRs', sc(['10.0.0.0/24'], 'True'), 'inconsistent'],
    ['being deleted', sc(['10.96.0.0/12'], undefined, true), 'none'],
  ] as const)('%s → %s', (_label, current, expected) => {
    expect(decideDefaultServiceCIDR(current, ['10.96.0.0/12'])).toBe(expected);
  });
});

describe('ensureDefaultServiceCIDR', () => {
  it('leaves a default ServiceCIDR with other CIDRs alone and records KubernetesDefaultServiceCIDRInconsistent', async () => {
    const ctx = testContext();
    const key = '/registry/networking.k8s.io/servicecidrs/kubernetes';
    await ctx.storage.create(key, { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', ...sc(['10.0.0.0/24'], 'True') });
    const events: RepairEvent[] = [];
    const action = await ensureDefaultServiceCIDR({
      ctx, cidrs: ['10.96.0.0/12'], meta: () => ({ uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' }), now: '2025-01-01T00:00:00Z',
      events: async (e) => void events.push(e), logger: pino({ level: 'silent' }),
    });
    expect(action).toBe('inconsistent');
    expect((await ctx.storage.get(key))?.spec).toEqual({ cidrs: ['10.0.0.0/24'] });
    expect(events.map((e) => [e.reason, e.message])).toEqual([
      ['KubernetesDefaultServiceCIDRInconsistent', 'The default ServiceCIDR [10.0.0.0/24] does not match the controller flag configurations 10.96.0.0/12'],
    ]);
  });
});
