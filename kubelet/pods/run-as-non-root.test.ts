import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import { runAsNonRootViolation } from './run-as-non-root.ts';

const pod = (podSc: Record<string, unknown> = {}, sc: Record<string, unknown> = {}): { pod: Pod; container: Container } => {
  const container = { name: 'c', image: 'x', securityContext: sc };
  return { pod: { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { securityContext: podSc, containers: [container] } } as Pod, container };
};
const who = '(pod: "p_ns(u1)", container: c)';

describe('runAsNonRootViolation (upstream verifyRunAsNonRoot)', () => {
  it.each([
    ['not asked', pod(), {}, undefined],
    ['asked off by the container over the pod', pod({ runAsNonRoot: true }, { runAsNonRoot: false }), {}, undefined],
    ['runAsUser 0', pod({ runAsNonRoot: true }, { runAsUser: 0 }), { uid: 1000 }, `container's runAsUser breaks non-root policy ${who}`],
    ['runAsUser 1000 (the pod\'s) over a root image', pod({ runAsNonRoot: true, runAsUser: 1000 }), { uid: 0 }, undefined],
    ['an image of uid 0', pod({}, { runAsNonRoot: true }), { uid: 0 }, `container has runAsNonRoot and image will run as root ${who}`],
    ['an image of uid 65532', pod({}, { runAsNonRoot: true }), { uid: 65532 }, undefined],
    ['an image with a user name', pod({ runAsNonRoot: true }), { username: 'nginx' }, `container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root ${who}`],
    ['an image without a user (root)', pod({ runAsNonRoot: true }), {}, `container has runAsNonRoot and image will run as root ${who}`],
  ])('%s', (_name, { pod: p, container }, image, violation) => {
    expect(runAsNonRootViolation(p, container, image)).toBe(violation);
  });
});
