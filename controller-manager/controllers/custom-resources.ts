/** Which custom resources the garbage collector watches: those of established CRDs, at their storage version. */
import type { CustomResourceDefinition } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import type { ResourceCoordinates } from '../../pkg/client/index.ts';
import type { DeepReadonly } from '../../pkg/informer/index.ts';

export const CRD_COORDINATES: ResourceCoordinates = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false, kind: 'CustomResourceDefinition' };

/** The coordinates to watch a CRD's objects at, once it is Established (undefined before). */
export function customResourceCoordinates(crd: DeepReadonly<CustomResourceDefinition>): ResourceCoordinates | undefined {
  const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  const spec = crd.spec;
  const names = crd.status?.acceptedNames ?? spec?.names;
  const version = spec?.versions?.find((v) => v.storage && v.served)?.name ?? spec?.versions?.find((v) => v.served)?.name;
  if (!established || crd.metadata.deletionTimestamp || !spec?.group || !names?.plural || !names.kind || !version) return undefined;
  return { group: spec.group, version, plural: names.plural, namespaced: spec.scope === 'Namespaced', kind: names.kind };
}
