/** Registered names of the in-tree plugins (upstream plugins/names). */
export const Names = {
  PrioritySort: 'PrioritySort',
  SchedulingGates: 'SchedulingGates',
  NodeName: 'NodeName',
  NodeUnschedulable: 'NodeUnschedulable',
  NodePorts: 'NodePorts',
  NodeResourcesFit: 'NodeResourcesFit',
  NodeResourcesBalancedAllocation: 'NodeResourcesBalancedAllocation',
  TaintToleration: 'TaintToleration',
  ImageLocality: 'ImageLocality',
  DefaultBinder: 'DefaultBinder',
  NodeAffinity: 'NodeAffinity',
  InterPodAffinity: 'InterPodAffinity',
  PodTopologySpread: 'PodTopologySpread',
  DefaultPreemption: 'DefaultPreemption',
  VolumeBinding: 'VolumeBinding',
} as const;
