import { describe, expect, it } from 'vitest';
import { sortedJson } from '../../../pkg/util/semantic-json.ts';
import { daemonSetPatch, goTemplate, newDaemonSetRevision, revisionMatches } from './history.ts';
import { ds } from './test-objects.ts';

describe('DaemonSet revisions', () => {
  it('hold the patch kubectl rollout undo applies, rendered as Go json.Marshal does', () => {
    const d = ds({ podSpec: { tolerations: [], nodeSelector: {} } });
    expect(sortedJson(daemonSetPatch(d))).toBe('{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"fluentd"}},"spec":{"containers":[{"image":"fluentd:v1","name":"fluentd","resources":{}}]}}}}');
  });

  it.each([
    ['keys in another order', { spec: { containers: [{ image: 'fluentd:v1', name: 'fluentd' }] }, metadata: { labels: { app: 'fluentd' } } }, true],
    ['what rollout undo writes back', { metadata: { creationTimestamp: null, labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1', resources: {} }] } }, true],
    ['another image', { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v2' }] } }, false],
    ['another label', { metadata: { labels: { app: 'fluentd', v: '2' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } }, false],
  ])('match: %s → %s', (_name, template, matches) => {
    const current = ds();
    const other = ds();
    other.spec!.template = template as never;
    expect(revisionMatches(current, newDaemonSetRevision(other, 'h', 1))).toBe(matches);
  });

  it('a revision is <ds>-<hash> with the template labels, the hash label, the DaemonSet annotations and a controller reference', () => {
    const cr = newDaemonSetRevision(ds(), '5d8f7c', 2);
    expect(cr.metadata).toEqual({
      name: 'fluentd-5d8f7c',
      namespace: 'kube-system',
      labels: { app: 'fluentd', 'controller-revision-hash': '5d8f7c' },
      annotations: { 'deprecated.daemonset.template.generation': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(cr.revision).toBe(2);
  });

  it('gives init and ephemeral containers resources {} as well, and drops empty maps Go omits', () => {
    const t = goTemplate({ metadata: { annotations: {} }, spec: { initContainers: [{ name: 'i' }], volumes: [{ name: 'v', emptyDir: {} }] } });
    expect(t).toEqual({ metadata: { creationTimestamp: null }, spec: { initContainers: [{ name: 'i', resources: {} }], volumes: [{ name: 'v', emptyDir: {} }] } });
  });
});
