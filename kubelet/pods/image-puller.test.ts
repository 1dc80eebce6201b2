import { describe, expect, it } from 'vitest';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import type { PodSandboxConfig } from '../cri/types.ts';
import type { PulledImage } from '../runtime/types.ts';
import { ImagePuller } from './image-puller.ts';
import type { Waiting } from './status.ts';

const pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] } } as unknown as Pod;
const sandbox = {} as PodSandboxConfig;

/** A puller over a runtime holding `present` images, whose pulls take 1.5 s and succeed unless `failing`. */
function setup(present: string[], failing = false) {
  const clock = new FakeClock(0);
  const events: string[] = [];
  const pulled: string[] = [];
  const puller = new ImagePuller({
    clock,
    runtime: {
      hasImage: async (image) => present.includes(image),
      pullImage: async (image): Promise<PulledImage> => {
        clock.step(1500);
        if (failing) throw new Error('rpc error: code = NotFound desc = not found');
        pulled.push(image);
        return { ref: 'sha256:abc', sizeBytes: 2156518 };
      },
    },
    event: (_pod, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
  });
  const ensure = (c: Container) => {
    const waiting = new Map<string, Waiting>();
    return puller.ensure(pod, c, sandbox, waiting).then((image) => ({ image, waiting: Object.fromEntries(waiting) }));
  };
  return { ensure, events, pulled };
}

describe('ImagePuller', () => {
  it('pulls a :latest image and records upstream 1.33\'s Pulled event with the time and the image size', async () => {
    const { ensure, events, pulled } = setup([]);
    expect(await ensure({ name: 'app', image: 'busybox' })).toEqual({ image: 'busybox', waiting: {} });
    expect(pulled).toEqual(['busybox']);
    expect(events).toEqual([
      'Normal Pulling: Pulling image "busybox"',
      'Normal Pulled: Successfully pulled image "busybox" in 1.5s (1.5s including waiting). Image size: 2156518 bytes.',
    ]);
  });

  it('uses a present tagged image without pulling (IfNotPresent by default)', async () => {
    const { ensure, events, pulled } = setup(['nginx:1.27']);
    expect((await ensure({ name: 'app', image: 'nginx:1.27' })).image).toBe('nginx:1.27');
    expect(pulled).toEqual([]);
    expect(events).toEqual(['Normal Pulled: Container image "nginx:1.27" already present on machine']);
  });

  it('Never with the image absent waits in ErrImageNeverPull', async () => {
    const { ensure, events } = setup([]);
    const message = 'Container image "nginx:1.27" is not present with pull policy of Never';
    expect(await ensure({ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'Never' })).toEqual({ image: undefined, waiting: { app: { reason: 'ErrImageNeverPull', message } } });
    expect(events).toEqual([`Warning ErrImageNeverPull: ${message}`]);
  });

  it('a failed pull waits in ErrImagePull with the runtime\'s error, then in ImagePullBackOff carrying it (upstream 1.33), without pulling again', async () => {
    const { ensure, events } = setup([], true);
    const error = 'rpc error: code = NotFound desc = not found';
    expect((await ensure({ name: 'app', image: 'nope:1' })).waiting.app).toEqual({ reason: 'ErrImagePull', message: error });
    expect((await ensure({ name: 'app', image: 'nope:1' })).waiting.app).toEqual({ reason: 'ImagePullBackOff', message: `Back-off pulling image "nope:1": ErrImagePull: ${error}` });
    expect(events.filter((e) => e.includes('Pulling'))).toHaveLength(1);
    expect(events).toEqual([
      'Normal Pulling: Pulling image "nope:1"',
      `Warning Failed: Failed to pull image "nope:1": ${error}`,
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "nope:1"',
    ]);
  });
});
