/** Deployment, ReplicaSet and ControllerRevision printers (upstream printDeployment / printReplicaSet / printControllerRevision). */
import { ageColumn, col, nameColumn, templateColumns } from './columns.ts';
import { age, containersAndImages, formatLabelSelector, get, num } from './format.ts';
import type { Printer } from './printer.ts';

const wide = [
  ...templateColumns,
  col('Selector', 'string', 1, 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
];

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 0, 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 0, 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 0, 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...wide,
  ],
  row(d, now) {
    const desired = num(get(d, 'spec', 'replicas'));
    const [containers, images] = containersAndImages(get(d, 'spec', 'template', 'spec'));
    return [d.metadata.name ?? '', `${num(get(d, 'status', 'readyReplicas'))}/${desired}`, num(get(d, 'status', 'updatedReplicas')), num(get(d, 'status', 'availableReplicas')), age(d, now), containers, images, formatLabelSelector(get(d, 'spec', 'selector'))];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 0, 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 0, 'The number of ready replicas for this replica set.'),
    ageColumn,
    ...wide,
  ],
  row(rs, now) {
    const [containers, images] = containersAndImages(get(rs, 'spec', 'template', 'spec'));
    return [rs.metadata.name ?? '', num(get(rs, 'spec', 'replicas')), num(get(rs, 'status', 'replicas')), num(get(rs, 'status', 'readyReplicas')), age(rs, now), containers, images, formatLabelSelector(get(rs, 'spec', 'selector'))];
  },
};

/** `<kind>.<group>/<name>` of the object's controller (upstream formatResourceName with kind), or `<none>`. */
function controllerName(obj: { metadata: { ownerReferences?: unknown } }): string {
  const ref = (Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : []).find((r) => get(r, 'controller') === true);
  if (!ref) return '<none>';
  const apiVersion = String(get(ref, 'apiVersion') ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(get(ref, 'kind') ?? '').toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${String(get(ref, 'name') ?? '')}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    col('Controller', 'string', 0, 'Controller of the object.'),
    col('Revision', 'integer', 0, 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  row(cr, now) {
    return [cr.metadata.name ?? '', controllerName(cr), num(get(cr, 'revision')), age(cr, now)];
  },
};
