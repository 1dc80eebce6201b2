/**
 * The contract of {@link startNetnsNode} that its users cannot see: a start that fails half-way
 * leaves no network namespace and no containerd behind, and `stop()` is one stop however often it
 * is called. Leftovers are looked for by this file's own namespace names only, so other netns
 * tests may run beside it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startNetnsNode } from './netns-node.ts';

/** This file's namespaces and containerd processes still there (none expected). */
function leftovers(name: string): { netns: string[]; containerd: string[] } {
  const netns = execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`${name}-${process.pid}`));
  let containerd: string[] = [];
  try {
    containerd = execFileSync('pgrep', ['-af', `^containerd --config /tmp/${name}-`]).toString().split('\n').filter(Boolean);
  } catch {
    // pgrep exits 1 when nothing matches
  }
  return { netns, containerd };
}

describe('startNetnsNode', () => {
  it('a control plane that fails to start: rejects with its error, leaving no namespace or containerd', async () => {
    // An AdmissionConfiguration the API server refuses fails startTestControlPlane after containerd is up.
    const start = startNetnsNode({ name: 'k8ts-nodefail', nodeName: 'node-fail', podCidr: '10.244.98.0/24', controlPlane: { admissionConfiguration: { kind: 'Nonsense' } } });
    await expect(start).rejects.toThrow();
    expect(leftovers('k8ts-nodefail')).toEqual({ netns: [], containerd: [] });
  }, 120_000);

  it('a started node: the kubelet registered; stop() twice is the same stop and leaves nothing', async () => {
    const fixture = await startNetnsNode({ name: 'k8ts-nodestop', nodeName: 'node-stop', podCidr: '10.244.97.0/24' });
    expect(fixture.kubeletPort).toBeGreaterThan(0);
    expect(leftovers('k8ts-nodestop').netns).toHaveLength(1);
    const first = fixture.stop();
    expect(fixture.stop()).toBe(first);
    await first;
    expect(leftovers('k8ts-nodestop')).toEqual({ netns: [], containerd: [] });
  }, 120_000);
});
