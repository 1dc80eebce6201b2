import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { PodFates } from './pod-fates.ts';

function pod(uid: string, status: Pod['status'] = { phase: 'Running' }): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [] }, status } as Pod;
}

const condition = { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' };

describe('PodFates', () => {
  it('a pod is decided once; admitted pods are active until they get a fate or a final phase', () => {
    const f = new PodFates();
    expect(f.undecided(pod('a'))).toBe(true);
    expect(f.undecided(pod('done', { phase: 'Succeeded' }))).toBe(false);
    f.admit('a');
    expect(f.undecided(pod('a'))).toBe(false);
    expect(f.active(pod('a'))).toBe(true);
    expect(f.active(pod('a', { phase: 'Failed' }))).toBe(false);
    f.fail('a', { reason: 'Evicted', message: 'm' });
    expect(f.active(pod('a'))).toBe(false);
    f.forget('a');
    expect(f.undecided(pod('a'))).toBe(true);
  });

  it('overlays phase Failed, reason, message and the condition; keeps the condition time once written', () => {
    const f = new PodFates();
    expect(f.overlay(pod('a'))).toEqual(pod('a'));
    f.fail('a', { reason: 'Evicted', message: 'm', condition });
    const own = { type: 'Ready', status: 'True' };
    expect(f.overlay(pod('a', { phase: 'Running', conditions: [own] })).status).toEqual({ phase: 'Failed', reason: 'Evicted', message: 'm', conditions: [own, condition] });
    const written = { ...condition, lastTransitionTime: '2026-01-01T00:00:05Z' };
    expect(f.overlay(pod('a', { phase: 'Failed', conditions: [written] })).status?.conditions).toEqual([written]);
  });

  it('a wait is settled by the next sync that started after it', async () => {
    const f = new PodFates();
    const early = f.syncing('a');
    const waited = f.waitForSync('a');
    let done = false;
    void waited.then(() => (done = true));
    f.synced('a', early);
    await Promise.resolve();
    expect(done).toBe(false);
    f.synced('a', f.syncing('a'));
    await waited;
    const failing = f.waitForSync('a');
    f.synced('a', f.syncing('a'), new Error('boom'));
    await expect(failing).rejects.toThrow('boom');
    const stopped = f.waitForSync('b');
    f.rejectAll(new Error('kubelet stopped'));
    await expect(stopped).rejects.toThrow('kubelet stopped');
  });
});
