/**
 * Admission plugin `LimitRanger` (upstream plugin/pkg/admission/limitranger). For pods on CREATE
 * (never UPDATE: containers are immutable) and claims on CREATE and UPDATE, main resource only,
 * skipping objects already being deleted: the mutating phase fills each namespace LimitRange's
 * Container defaults into the pod; the validating phase refuses with 403 Forbidden
 * (`pods "x" is forbidden: <violations>`) when a pod or claim breaks a LimitRange's min, max or
 * maxLimitRequestRatio. LimitRanges are read from the server's own storage at each request.
 */
import type { LimitRange } from '../../pkg/api/core/v1/limitrange.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import { aggregateMessage, claimLimitViolations, mergeLimitRangeDefaults, podLimitViolations } from './limit-ranger-rules.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const LIMIT_RANGER_PLUGIN = 'LimitRanger';
const LIMIT_RANGES = { group: '', plural: 'limitranges', namespaced: true } as const;

/** Upstream SupportsAttributes plus the handler's CREATE/UPDATE and the deletion check. Pure. */
export function limitRangerApplies(attrs: Pick<AdmissionAttributes, 'operation' | 'subresource' | 'info' | 'object' | 'oldObject'>): 'pods' | 'persistentvolumeclaims' | undefined {
  if (attrs.subresource || attrs.info.group !== '' || !attrs.object) return undefined;
  if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return undefined;
  if (attrs.oldObject?.metadata.deletionTimestamp) return undefined;
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
      if (limitRangerApplies(attrs) !== 'pods') return;
      return limitRanges(attrs.namespace).then((ranges) => {
        for (const lr of ranges) mergeLimitRangeDefaults(lr, attrs.object!);
      });
    },
    validate(attrs) {
      const kind = limitRangerApplies(attrs);
      if (!kind) return;
      return limitRanges(attrs.namespace).then((ranges) => {
        for (const lr of ranges) {
          const violations = kind === 'pods' ? podLimitViolations(lr, attrs.object!) : claimLimitViolations(lr, attrs.object!);
          if (violations.length) throw forbidden({ group: '', resource: kind }, targetName(attrs), aggregateMessage(violations));
        }
      });
    },
  };
}
