/** The per-cycle, read-only view of the cache (upstream cache.Snapshot). */
import type { NodeInfo, NodeInfoLister, SharedLister } from '../framework/index.ts';

/**
 * Contract: only {@link Cache.updateSnapshot} mutates a Snapshot; between updates it is stable.
 * `list()` holds only NodeInfos whose node object is known.
 */
export class Snapshot implements SharedLister, NodeInfoLister {
  /** Node name → cloned NodeInfo. */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  /** Node name → index in nodeInfoList. */
  readonly positions = new Map<string, number>();
  withAffinity: NodeInfo[] = [];
  withRequiredAntiAffinity: NodeInfo[] = [];
  /** Image name → number of nodes that have it. */
  imageNodeCounts: ReadonlyMap<string, number> = new Map();
  /** The highest cache generation this snapshot reflects. */
  generation = 0;

  nodeInfos(): NodeInfoLister {
    return this;
  }

  imageNumNodes(image: string): number {
    return this.imageNodeCounts.get(image) ?? 0;
  }

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }
}
