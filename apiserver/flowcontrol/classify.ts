/**
 * Which FlowSchema a request matches (upstream's APF classification, matching only): schemas
 * in order of matchingPrecedence, then name; a schema whose priority level does not exist is
 * skipped; the first one with a rule whose subjects and resource or non-resource rule match the
 * request wins. Pure. The result only names the objects (their UIDs go into response headers);
 * nothing is queued or limited.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { FlowSchemaSpec, NonResourcePolicyRule, ResourcePolicyRule, Subject } from '../../pkg/api/flowcontrol/v1/types.ts';
import type { RequestAttributes } from '../auth/request-attributes.ts';

const SA_PREFIX = 'system:serviceaccount:';

/** The stored configuration a classification reads. */
export interface ApfSnapshot {
  schemas: readonly KubeObject[];
  levels: readonly KubeObject[];
}

/** The FlowSchema a request matched and the (existing) priority level it names. */
export interface Classification {
  flowSchema: KubeObject;
  priorityLevel: KubeObject;
}

const specOf = (fs: KubeObject): Partial<FlowSchemaSpec> => (fs.spec ?? {}) as Partial<FlowSchemaSpec>;
const has = (list: readonly string[] | undefined, value: string): boolean => !!list && (list.includes('*') || list.includes(value));

function subjectMatches(subject: Subject, user: RequestAttributes['user']): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.user?.name === '*' || subject.user?.name === user.username;
    case 'Group':
      return subject.group?.name === '*' || (!!subject.group && user.groups.includes(subject.group.name));
    case 'ServiceAccount': {
      if (!subject.serviceAccount || !user.username.startsWith(SA_PREFIX)) return false;
      const [namespace, name] = user.username.slice(SA_PREFIX.length).split(':', 2);
      return subject.serviceAccount.namespace === namespace && (subject.serviceAccount.name === '*' || subject.serviceAccount.name === name);
    }
    default:
      return false;
  }
}

function resourceRuleMatches(rule: ResourcePolicyRule, attrs: RequestAttributes): boolean {
  if (!has(rule.verbs, attrs.verb) || !has(rule.apiGroups, attrs.apiGroup)) return false;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  if (!has(rule.resources, resource)) return false;
  return attrs.namespace === '' ? !!rule.clusterScope : has(rule.namespaces, attrs.namespace);
}

function nonResourceRuleMatches(rule: NonResourcePolicyRule, attrs: RequestAttributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === attrs.path || (url.endsWith('*') && attrs.path.startsWith(url.slice(0, -1))));
}

/** Does `fs` match the request? */
export function flowSchemaMatches(fs: KubeObject, attrs: RequestAttributes): boolean {
  return (specOf(fs).rules ?? []).some((rule) => {
    if (!(rule.subjects ?? []).some((s) => subjectMatches(s, attrs.user))) return false;
    return attrs.resourceRequest
      ? (rule.resourceRules ?? []).some((r) => resourceRuleMatches(r, attrs))
      : (rule.nonResourceRules ?? []).some((r) => nonResourceRuleMatches(r, attrs));
  });
}

/** A snapshot's schemas in matching order and its levels by name, computed once per snapshot (every response is classified). */
const prepared = new WeakMap<ApfSnapshot, { ordered: KubeObject[]; levels: Map<string, KubeObject> }>();

function prepare(snapshot: ApfSnapshot): { ordered: KubeObject[]; levels: Map<string, KubeObject> } {
  let p = prepared.get(snapshot);
  if (!p) {
    const levels = new Map(snapshot.levels.map((pl) => [pl.metadata.name ?? '', pl]));
    const ordered = [...snapshot.schemas].sort((a, b) => (specOf(a).matchingPrecedence ?? 0) - (specOf(b).matchingPrecedence ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    p = { ordered, levels };
    prepared.set(snapshot, p);
  }
  return p;
}

/** The FlowSchema and priority level a request is classified into, if any matches. */
export function classify(snapshot: ApfSnapshot, attrs: RequestAttributes): Classification | undefined {
  const { ordered, levels } = prepare(snapshot);
  for (const fs of ordered) {
    const priorityLevel = levels.get(specOf(fs).priorityLevelConfiguration?.name ?? '');
    if (priorityLevel && flowSchemaMatches(fs, attrs)) return { flowSchema: fs, priorityLevel };
  }
  return undefined;
}
