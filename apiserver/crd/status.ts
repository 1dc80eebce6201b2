/**
 * The status the API server gives a CustomResourceDefinition it serves (upstream naming and
 * establishing controllers): `acceptedNames` = the defaulted spec names, `NamesAccepted` and
 * `Established` conditions — or `NamesAccepted=False` when another resource already owns the
 * plural in that group.
 */
import type { CustomResourceDefinition } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Conditions for a CRD whose names are accepted, or refused with `conflict` as the message. */
export function desiredConditions(conflict: string | undefined): CrdCondition[] {
  if (conflict) {
    return [
      { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: conflict },
      { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
    ];
  }
  return [
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
    { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
  ];
}

/**
 * The CRD's status with `conditions` merged in (a condition keeps its lastTransitionTime while
 * its status is unchanged) and `acceptedNames` set; undefined when nothing would change.
 */
export function nextStatus(crd: CustomResourceDefinition, conditions: CrdCondition[], now: string): CustomResourceDefinition['status'] | undefined {
  const current = (crd.status?.conditions ?? []) as CrdCondition[];
  const merged = [...current.filter((c) => !conditions.some((d) => d.type === c.type))];
  let changed = false;
  for (const want of conditions) {
    const have = current.find((c) => c.type === want.type);
    if (have && have.status === want.status && have.reason === want.reason && have.message === want.message) {
      merged.push(have);
      continue;
    }
    changed = true;
    merged.push({ ...want, lastTransitionTime: have && have.status === want.status ? have.lastTransitionTime : now });
  }
  const accepted = conditions.some((c) => c.type === 'NamesAccepted' && c.status === 'True') ? (crd.spec?.names ?? {}) : (crd.status?.acceptedNames ?? {});
  if (JSON.stringify(accepted) !== JSON.stringify(crd.status?.acceptedNames ?? {})) changed = true;
  if (!changed) return undefined;
  return { ...(crd.status ?? {}), acceptedNames: accepted, conditions: merged as NonNullable<CustomResourceDefinition['status']>['conditions'] };
}

/** `crd` with {@link nextStatus} applied; the same object when nothing would change. */
export function withConditions(crd: CustomResourceDefinition, conditions: CrdCondition[], now: string): CustomResourceDefinition {
  const status = nextStatus(crd, conditions, now);
  return status ? { ...crd, status } : crd;
}
