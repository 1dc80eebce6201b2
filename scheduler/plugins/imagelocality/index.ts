/**
 * ImageLocality: prefers nodes that already have the pod's container images, weighted by image
 * size and how widely the image is spread (upstream image_locality.go).
 */
import { MAX_NODE_SCORE, stateKey, Status, type NodeInfo, type PluginFactory, type PodObject, type PreScorePlugin, type ScorePlugin } from '../../framework/index.ts';
import { Names } from '../names.ts';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** `nginx` → `nginx:latest`; names with a tag or digest are kept. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const last = name.slice(lastSlash + 1);
  return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}

/** Score in [0, 100] from the summed, spread-scaled image sizes (upstream calculatePriority). */
export function imageLocalityScore(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface ImageSpread {
  images: string[];
  numNodes: Map<string, number>;
  totalNodes: number;
}

const spreadKey = stateKey<ImageSpread>('PreScore' + Names.ImageLocality);

function podImages(pod: PodObject): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
}

/** Sum over the pod's containers of image size × (nodes with the image / all nodes). */
export function sumImageScores(nodeInfo: NodeInfo, spread: ImageSpread): number {
  let sum = 0;
  for (const image of spread.images) {
    const size = nodeInfo.imageSizes.get(image);
    if (size === undefined) continue;
    sum += Math.trunc((size * (spread.numNodes.get(image) ?? 0)) / spread.totalNodes);
  }
  return sum;
}

export const imageLocality: PluginFactory = (_args, handle): PreScorePlugin & ScorePlugin => ({
  name: Names.ImageLocality,
  preScore: (state, pod) => {
    const images = podImages(pod);
    const lister = handle.snapshotSharedLister();
    const all = lister.nodeInfos().list();
    const numNodes = new Map<string, number>();
    for (const image of images) {
      const n = lister.imageNumNodes ? lister.imageNumNodes(image) : all.filter((ni) => ni.imageSizes.has(image)).length;
      if (n > 0) numNodes.set(image, n);
    }
    if (numNodes.size === 0) return Status.skip();
    state.write(spreadKey, { images, numNodes, totalNodes: all.length });
    return Status.SUCCESS;
  },
  score: (state, _pod, nodeInfo) => {
    const spread = state.read(spreadKey);
    return imageLocalityScore(sumImageScores(nodeInfo, spread), spread.images.length);
  },
});
