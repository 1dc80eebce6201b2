/** The name admission rejections print (upstream `extractResourceName`): the request's, else the object's name, else its generateName, else `Unknown`. */
import type { AdmissionAttributes } from './types.ts';

export function admissionObjectName(attrs: Pick<AdmissionAttributes, 'name' | 'object'>): string {
  return attrs.name || attrs.object?.metadata.name || attrs.object?.metadata.generateName || 'Unknown';
}
