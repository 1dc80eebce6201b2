/**
 * A container's image before it starts (upstream kubelet `EnsureImageExists`): `imagePullPolicy`
 * (defaulted from the tag), the pull with its back-off per pod and image, and upstream's waiting
 * reasons and events (`ErrImageNeverPull`, `ImagePullBackOff`, `ErrImagePull`, `Pulling`,
 * `Pulled`). An `Always` image present locally still runs when its pull fails.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { formatDuration } from '../../pkg/util/duration.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import type { PodSandboxConfig } from '../cri/types.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { Backoff } from './backoff.ts';
import type { Waiting } from './status.ts';

/** What pulling needs: the runtime, a clock for the back-off, and the pod's event recorder. */
export interface ImagePullerDeps {
  runtime: Pick<ContainerRuntime, 'hasImage' | 'pullImage'>;
  clock: Clock;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** Ensures images for a node's containers; holds the pull back-offs. */
export class ImagePuller {
  private readonly pulls: Backoff;
  /**
   * The last failed pull's error by back-off key, which the back-off's waiting message carries
   * (upstream's `prevPullErrMsg`: `Back-off pulling image "x": ErrImagePull: <error>`).
   */
  private readonly lastErrors = new Map<string, string>();

  constructor(private readonly deps: ImagePullerDeps) {
    this.pulls = new Backoff(deps.clock);
  }

  /** The image to run `c` with, or undefined after recording why it waits (in `waiting`, by container name). */
  async ensure(pod: Pod, c: Container, sandboxConfig: PodSandboxConfig, waiting: Map<string, Waiting>): Promise<string | undefined> {
    const image = c.image ?? '';
    const name = c.name ?? '';
    const policy = c.imagePullPolicy ?? (/:latest$|^[^:@]+$/.test(image.split('/').at(-1) ?? '') ? 'Always' : 'IfNotPresent');
    const present = await this.deps.runtime.hasImage(image);
    if (policy === 'Never') {
      if (present) return image;
      const message = `Container image "${image}" is not present with pull policy of Never`;
      waiting.set(name, { reason: 'ErrImageNeverPull', message });
      this.deps.event(pod, 'Warning', 'ErrImageNeverPull', message);
      return undefined;
    }
    if (present && policy === 'IfNotPresent') {
      this.deps.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return image;
    }
    const key = `${pod.metadata.uid}/${image}`;
    if (this.pulls.inBackoff(key)) {
      // A failed `Always` pull of an image present locally ran it (below); so does its back-off.
      if (present) return image;
      const message = `Back-off pulling image "${image}"`;
      const previous = this.lastErrors.get(key);
      waiting.set(name, { reason: 'ImagePullBackOff', message: previous === undefined ? message : `${message}: ErrImagePull: ${previous}` });
      this.deps.event(pod, 'Normal', 'BackOff', message);
      return undefined;
    }
    this.lastErrors.delete(key);
    this.deps.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.deps.clock.now();
    let sizeBytes: number;
    try {
      ({ sizeBytes } = await this.deps.runtime.pullImage(image, sandboxConfig));
    } catch (err) {
      // An `Always` image that is present locally still runs when the registry is unreachable.
      this.pulls.next(key);
      if (present) return image;
      const error = err instanceof Error ? err.message : String(err);
      this.lastErrors.set(key, error);
      // The status carries the runtime's error as it is; the event says which image.
      waiting.set(name, { reason: 'ErrImagePull', message: error });
      this.deps.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${error}`);
      this.deps.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      return undefined;
    }
    const took = formatDuration(this.deps.clock.now() - started);
    this.deps.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${sizeBytes} bytes.`);
    return image;
  }

  /** Forgets the pull back-offs of a pod that is gone. */
  forgetPod(uid: string): void {
    this.pulls.forget(`${uid}/`);
    for (const key of this.lastErrors.keys()) if (key.startsWith(`${uid}/`)) this.lastErrors.delete(key);
  }
}
