/** The in-tree plugin registry (upstream plugins.NewInTreeRegistry). */
import type { Registry } from '../framework/index.ts';
import { defaultBinder } from './defaultbinder/index.ts';
import { defaultPreemption } from './defaultpreemption/index.ts';
import { imageLocality } from './imagelocality/index.ts';
import { interPodAffinity } from './interpodaffinity/index.ts';
import { Names } from './names.ts';
import { nodeAffinity } from './nodeaffinity/index.ts';
import { nodeName } from './nodename/index.ts';
import { nodePorts } from './nodeports/index.ts';
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from './noderesources/index.ts';
import { nodeUnschedulable } from './nodeunschedulable/index.ts';
import { podTopologySpread } from './podtopologyspread/index.ts';
import { prioritySort } from './prioritysort/index.ts';
import { schedulingGates } from './schedulinggates/index.ts';
import { taintToleration } from './tainttoleration/index.ts';
import { volumeBinding } from './volumebinding/index.ts';

export { Names } from './names.ts';

export function inTreeRegistry(): Registry {
  return {
    [Names.PrioritySort]: prioritySort,
    [Names.SchedulingGates]: schedulingGates,
    [Names.NodeName]: nodeName,
    [Names.NodeUnschedulable]: nodeUnschedulable,
    [Names.NodePorts]: nodePorts,
    [Names.NodeResourcesFit]: nodeResourcesFit,
    [Names.NodeResourcesBalancedAllocation]: nodeResourcesBalancedAllocation,
    [Names.TaintToleration]: taintToleration,
    [Names.NodeAffinity]: nodeAffinity,
    [Names.ImageLocality]: imageLocality,
    [Names.PodTopologySpread]: podTopologySpread,
    [Names.InterPodAffinity]: interPodAffinity,
    [Names.DefaultPreemption]: defaultPreemption,
    [Names.DefaultBinder]: defaultBinder,
    [Names.VolumeBinding]: volumeBinding,
  };
}
