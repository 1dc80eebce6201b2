/**
 * The kubelet's CSINode (upstream nodeinfomanager InitializeCSINodeWithAnnotation): when the
 * kubelet has registered its Node it makes sure a CSINode of the same name exists, owned by the
 * Node (so it goes when the Node goes), with no drivers yet — node-driver-registrar adds them —
 * and the in-tree plugins whose volumes CSI migration hands to CSI drivers annotated.
 */
import type { CSINode } from '../../pkg/api/storage/v1/csinode.ts';
import type { Node } from '../../pkg/api/core/v1/node.ts';
import { BUILTIN_COORDINATES, type Client } from '../../pkg/client/index.ts';
import { isAlreadyExists } from '../../pkg/errors/index.ts';

/** Upstream's annotation listing the in-tree plugins migrated to CSI. */
export const MIGRATED_PLUGINS_ANNOTATION = 'storage.alpha.kubernetes.io/migrated-plugins';
/** The plugins a 1.33 kubelet reports (every CSIMigration gate is GA or on by default), sorted. */
export const MIGRATED_PLUGINS = ['kubernetes.io/aws-ebs', 'kubernetes.io/azure-disk', 'kubernetes.io/azure-file', 'kubernetes.io/cinder', 'kubernetes.io/gce-pd', 'kubernetes.io/portworx-volume', 'kubernetes.io/vsphere-volume'] as const;

/** The CSINode a kubelet creates for `node` (pure). */
export function initialCSINode(node: Pick<Node, 'metadata'>): CSINode {
  const name = node.metadata.name ?? '';
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    metadata: {
      name,
      annotations: { [MIGRATED_PLUGINS_ANNOTATION]: MIGRATED_PLUGINS.join(',') },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
    },
    spec: { drivers: [] },
  };
}

/** Creates the node's CSINode unless it exists (an existing one, drivers and all, is kept). */
export async function ensureCSINode(client: Client, node: Pick<Node, 'metadata'>): Promise<'created' | 'exists'> {
  const csiNodes = client.resource<CSINode>(BUILTIN_COORDINATES.csiNodes);
  try {
    await csiNodes.create(initialCSINode(node));
    return 'created';
  } catch (err) {
    if (isAlreadyExists(err)) return 'exists';
    throw err;
  }
}
