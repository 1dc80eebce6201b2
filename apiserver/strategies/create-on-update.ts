/**
 * Kinds whose upstream strategy has `AllowCreateOnUpdate() == true`: a PUT of a missing object
 * creates it. Everything else answers 404.
 */
import type { ResourceInfo } from '../../pkg/api/resource.ts';

const CREATE_ON_UPDATE = new Set(['/Endpoints', '/Event', '/LimitRange', '/Service', 'events.k8s.io/Event', 'coordination.k8s.io/Lease']);

export function allowsCreateOnUpdate(info: Pick<ResourceInfo, 'group' | 'kind'>): boolean {
  return CREATE_ON_UPDATE.has(`${info.group}/${info.kind}`);
}
