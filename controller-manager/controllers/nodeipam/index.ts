/**
 * The `nodeipam` controller (`--allocate-node-cidrs --cluster-cidr …`): every Node without a
 * pod CIDR gets the next free `/--node-cidr-mask-size` subnet of the cluster CIDR in
 * `spec.podCIDR` and `spec.podCIDRs`; subnets already on nodes are never handed out twice. A
 * full range is a Warning Event `CIDRNotAvailable` on the node, as upstream.
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { nextFreeSubnet } from './allocator.ts';

export const nodeIpamController: ControllerDescriptor = {
  name: 'nodeipam',
  enabledByDefault: true,
  register({ manager, settings }) {
    if (!settings.allocateNodeCidrs || !settings.clusterCidr) return;
    const clusterCidr = settings.clusterCidr;
    const nodes = manager.lister<Node>(C.nodes);
    const recorder = manager.eventRecorder('cidrAllocator');
    // Allocations the cache may not show yet (a slow cache must not hand a subnet out twice).
    const pending = new Set<string>();
    // One worker: allocations must not race each other.
    newControllerBuilder(manager, 'nodeipam')
      .for<Node>(C.nodes)
      .withMaxConcurrentReconciles(1)
      .complete({
        async reconcile(req) {
          const node = nodes.get(req.name);
          if (!node || node.spec?.podCIDR || node.metadata.deletionTimestamp) return;
          const cached = new Set(nodes.list().flatMap((n) => [n.spec?.podCIDR, ...(n.spec?.podCIDRs ?? [])].filter((c): c is string => Boolean(c))));
          for (const c of pending) if (cached.has(c)) pending.delete(c);
          const used = new Set([...cached, ...pending]);
          const cidr = nextFreeSubnet(clusterCidr, settings.nodeCidrMaskSize, used);
          if (!cidr) {
            recorder.event({ ...node, apiVersion: 'v1', kind: 'Node' } as Node, 'Warning', 'CIDRNotAvailable', `Node ${req.name} status is now: CIDRNotAvailable`);
            return;
          }
          pending.add(cidr);
          await manager.client.nodes.patch(req.name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, { type: 'merge' }).catch((err) => {
            pending.delete(cidr);
            return isNotFound(err) ? undefined : Promise.reject(err);
          });
        },
      });
  },
};
