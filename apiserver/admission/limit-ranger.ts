/**
 * Admission plugin `LimitRanger` (upstream plugin/pkg/admission/limitranger, 1.33). For pods on
 * CREATE and on `pods/resize` UPDATE (never a main-resource UPDATE: containers are immutable
 * there), and claims on CREATE and UPDATE (main resource), skipping objects already being
 * deleted: the mutating phase fills each namespace LimitRange's Container defaults into the pod
 * (on a resize only into resources the request leaves unset, and without the
 * `kubernetes.io/limit-ranger` annotation, which upstream's resize strategy drops); the
 * validating phase refuses with 403 Forbidden (`pods "x" is forbidden: <violations>`) when a pod
 * — as a resize would leave it — or a claim breaks a LimitRange's min, max or
 * maxLimitRequestRatio. LimitRanges are read from the server's own storage at each request.
 */
import type { LimitRange } from '../../pkg/api/core/v1/limitrange.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import { RESIZE } from '../../pkg/api/core/v1/pod-resize.ts';
import { aggregateMessage, claimLimitViolations, fillLimitRangeDefaults, mergeLimitRangeDefaults, podLimitViolations } from './limit-ranger-rules.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const LIMIT_RANGER_PLUGIN = 'LimitRanger';
const LIMIT_RANGES = { group: '', plural: 'limitranges', namespaced: true } as const;

/** What LimitRanger checks a write as: a pod (created), a pod resize, a claim; undefined when not at all. */
export type LimitRangerTarget = 'pods' | 'pods/resize' | 'persistentvolumeclaims';

/** Upstream SupportsAttributes plus the handler's CREATE/UPDATE and the deletion check. Pure. */
export function limitRangerApplies(attrs: Pick<AdmissionAttributes, 'operation' | 'subresource' | 'info' | 'object' | 'oldObject'>): LimitRangerTarget | undefined {
  if (attrs.info.group !== '' || !attrs.object) return undefined;
  if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return undefined;
  if (attrs.oldObject?.metadata.deletionTimestamp) return undefined;
  if (attrs.subresource) return attrs.subresource === RESIZE && attrs.info.plural === 'pods' && attrs.operation === 'UPDATE' ? 'pods/resize' : undefined;
  if (attrs.info.plural === 'pods') return attrs.operation === 'CREATE' ? 'pods' : undefined;
  return attrs.info.plural === 'persistentvolumeclaims' ? 'persistentvolumeclaims' : undefined;
}

/** Upstream NewForbidden's name: the request's, else the object's name or generateName. */
function targetName(attrs: AdmissionAttributes): string {
  return attrs.name || attrs.object?.metadata.name || attrs.object?.metadata.generateName || 'Unknown';
}

export function createLimitRangerPlugin(ctx: AdmissionContext): AdmissionPlugin {
  async function limitRanges(namespace: string | undefined): Promise<LimitRange[]> {
    return (await ctx.storage.list(ctx.keyFor(LIMIT_RANGES, namespace, ''))).items as LimitRange[];
  }
  return {
    name: LIMIT_RANGER_PLUGIN,
    admit(attrs) {
      const target = limitRangerApplies(attrs);
      if (target !== 'pods' && target !== 'pods/resize') return;
      const fill = target === 'pods' ? mergeLimitRangeDefaults : fillLimitRangeDefaults;
      return limitRanges(attrs.namespace).then((ranges) => {
        for (const lr of ranges) fill(lr, attrs.object!);
      });
    },
    validate(attrs) {
      const target = limitRangerApplies(attrs);
      if (!target) return;
      const resource = target === 'persistentvolumeclaims' ? target : 'pods';
      return limitRanges(attrs.namespace).then((ranges) => {
        for (const lr of ranges) {
          const violations = resource === 'pods' ? podLimitViolations(lr, attrs.object!) : claimLimitViolations(lr, attrs.object!);
          if (violations.length) throw forbidden({ group: '', resource }, targetName(attrs), aggregateMessage(violations));
        }
      });
    },
  };
}
