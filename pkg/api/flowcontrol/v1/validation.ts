/**
 * Upstream flowcontrol validation (pkg/apis/flowcontrol/validation, 1.33) for the v1 kinds:
 * field paths, messages and check order as upstream. Pure.
 */
import type { FieldError } from '../../../errors/index.ts';
import { goStringSlice, invalidStringSlice } from '../../validation/common-rules.ts';
import { child, duplicate, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.ts';
import type { FlowControlCondition, LimitedPriorityLevelConfiguration, NonResourcePolicyRule, PolicyRulesWithSubjects, QueuingConfiguration, ResourcePolicyRule, Subject } from './types.ts';

const DISTINGUISHER_METHODS = ['ByNamespace', 'ByUser'];
const SUPPORTED_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const SUBJECT_KINDS = ['Group', 'ServiceAccount', 'User'];
const MAX_MATCHING_PRECEDENCE = 10000;
const MAX_QUEUES = 10_000_000;
/** shufflesharding.MaxHashBits. */
const MAX_HASH_BITS = 60;
const NS_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";

const hasWildcard = (values: readonly string[] | undefined): boolean => (values ?? []).includes('*');

/** ValidateFlowSchemaSpec (without the mandatory-object check). */
export function validateFlowSchemaSpec(name: string, spec: { priorityLevelConfiguration: { name: string }; matchingPrecedence: number; distinguisherMethod?: { type: string }; rules?: PolicyRulesWithSubjects[] }, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const mp = spec.matchingPrecedence;
  const mpPath = child(path, 'matchingPrecedence');
  if (mp <= 0) errs.push(invalidValue(mpPath, mp, 'must be a positive value'));
  if (mp > MAX_MATCHING_PRECEDENCE) errs.push(invalidValue(mpPath, mp, `must not be greater than ${MAX_MATCHING_PRECEDENCE}`));
  if (mp === 1 && name !== 'exempt') errs.push(invalidValue(mpPath, mp, "only the schema named 'exempt' may have matchingPrecedence 1"));
  if (spec.distinguisherMethod && !DISTINGUISHER_METHODS.includes(spec.distinguisherMethod.type)) {
    const rendered = `flowcontrol.FlowDistinguisherMethod{Type:${JSON.stringify(spec.distinguisherMethod.type)}}`;
    errs.push(goNotSupported(child(child(path, 'distinguisherMethod'), 'type'), rendered, DISTINGUISHER_METHODS));
  }
  const plPath = child(child(path, 'priorityLevelConfiguration'), 'name');
  const plName = spec.priorityLevelConfiguration.name;
  if (plName) errs.push(...isDNS1123Subdomain(plName).map((msg) => invalidValue(plPath, plName, msg)));
  else errs.push(required(plPath, 'must reference a priority level'));
  (spec.rules ?? []).forEach((rule, i) => errs.push(...validatePolicyRulesWithSubjects(rule, index(child(path, 'rules'), i))));
  return errs;
}

function validatePolicyRulesWithSubjects(rule: PolicyRulesWithSubjects, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.subjects?.length) rule.subjects.forEach((s, i) => errs.push(...validateSubject(s, index(child(path, 'subjects'), i))));
  else errs.push(required(child(path, 'subjects'), 'subjects must contain at least one value'));
  if (!rule.resourceRules?.length && !rule.nonResourceRules?.length) errs.push(required(path, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
  (rule.resourceRules ?? []).forEach((r, i) => errs.push(...validateResourceRule(r, index(child(path, 'resourceRules'), i))));
  (rule.nonResourceRules ?? []).forEach((r, i) => errs.push(...validateNonResourceRule(r, index(child(path, 'nonResourceRules'), i))));
  return errs;
}

const FORBIDDEN_MEMBER = {
  user: "user is forbidden when subject kind is not 'User'",
  group: "group is forbidden when subject kind is not 'Group'",
  serviceAccount: "serviceAccount is forbidden when subject kind is not 'ServiceAccount'",
} as const;

function validateSubject(subject: Subject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const others = (own: keyof typeof FORBIDDEN_MEMBER): void => {
    for (const member of ['serviceAccount', 'user', 'group'] as const) {
      if (member !== own && subject[member] !== undefined) errs.push(forbidden(child(path, member), FORBIDDEN_MEMBER[member]));
    }
  };
  switch (subject.kind) {
    case 'ServiceAccount':
      errs.push(...validateServiceAccountSubject(subject.serviceAccount, child(path, 'serviceAccount')));
      others('serviceAccount');
      break;
    case 'User':
      errs.push(...validateNamedSubject(subject.user, child(path, 'user'), "user is required when subject kind is 'User'"));
      others('user');
      break;
    case 'Group':
      errs.push(...validateNamedSubject(subject.group, child(path, 'group'), "group is required when subject kind is 'Group'"));
      others('group');
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), subject.kind, SUBJECT_KINDS));
  }
  return errs;
}

function validateServiceAccountSubject(sa: Subject['serviceAccount'], path: string): FieldError[] {
  if (!sa) return [required(path, "serviceAccount is required when subject kind is 'ServiceAccount'")];
  const errs: FieldError[] = [];
  if (!sa.name) errs.push(required(child(path, 'name')));
  else if (sa.name !== '*') errs.push(...isDNS1123Subdomain(sa.name).map((msg) => invalidValue(child(path, 'name'), sa.name, msg)));
  if (sa.namespace) errs.push(...isDNS1123Label(sa.namespace).map((msg) => invalidValue(child(path, 'namespace'), sa.namespace, msg)));
  else errs.push(required(child(path, 'namespace'), 'must specify namespace for service account'));
  return errs;
}

function validateNamedSubject(subject: { name: string } | undefined, path: string, missing: string): FieldError[] {
  if (!subject) return [required(path, missing)];
  return subject.name ? [] : [required(child(path, 'name'))];
}

function validateVerbs(verbs: string[] | undefined, path: string): FieldError[] {
  if (!verbs?.length) return [required(path, 'verbs must contain at least one value')];
  if (hasWildcard(verbs)) return verbs.length > 1 ? [invalidStringSlice(path, verbs, "if '*' is present, must not specify other verbs")] : [];
  if (verbs.every((v) => SUPPORTED_VERBS.includes(v))) return [];
  return [goNotSupported(path, goStringSlice(verbs), SUPPORTED_VERBS)];
}

/** field.NotSupported of a non-string value, which upstream prints with Go's `%#v`. */
function goNotSupported(path: string, rendered: string, supported: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${rendered}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` };
}

function validateResourceRule(rule: ResourcePolicyRule, path: string): FieldError[] {
  const errs = validateVerbs(rule.verbs, child(path, 'verbs'));
  const apiGroups = rule.apiGroups ?? [];
  if (!apiGroups.length) errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  else if (apiGroups.length > 1 && hasWildcard(apiGroups)) errs.push(invalidStringSlice(child(path, 'apiGroups'), apiGroups, "if '*' is present, must not specify other api groups"));
  const resources = rule.resources ?? [];
  if (!resources.length) errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  else if (resources.length > 1 && hasWildcard(resources)) errs.push(invalidStringSlice(child(path, 'resources'), resources, "if '*' is present, must not specify other resources"));
  const namespaces = rule.namespaces ?? [];
  const nsPath = child(path, 'namespaces');
  if (!namespaces.length && !rule.clusterScope) errs.push(required(nsPath, 'resource rules that are not cluster scoped must supply at least one namespace'));
  else if (hasWildcard(namespaces)) {
    if (namespaces.length > 1) errs.push(invalidStringSlice(nsPath, namespaces, "if '*' is present, must not specify other namespaces"));
  } else {
    namespaces.forEach((ns, i) => errs.push(...isDNS1123Label(ns).map((msg) => invalidValue(index(nsPath, i), ns, NS_INTRO + msg))));
  }
  return errs;
}

function validateNonResourceRule(rule: NonResourcePolicyRule, path: string): FieldError[] {
  const errs = validateVerbs(rule.verbs, child(path, 'verbs'));
  const urls = rule.nonResourceURLs ?? [];
  const urlPath = child(path, 'nonResourceURLs');
  if (!urls.length) errs.push(required(urlPath, 'nonResourceURLs must contain at least one value'));
  else if (hasWildcard(urls)) {
    if (urls.length > 1) errs.push(invalidStringSlice(urlPath, urls, "if '*' is present, must not specify other non-resource URLs"));
  } else {
    urls.forEach((url, i) => {
      const problem = nonResourceURLProblem(url);
      if (problem) errs.push(invalidValue(index(urlPath, i), url, problem));
    });
  }
  return errs;
}

/** ValidateNonResourceURLPath: the problem with one non-resource URL, if any. */
export function nonResourceURLProblem(url: string): string | undefined {
  if (url === '') return 'must not be empty';
  if (url === '/') return undefined;
  if (!url.startsWith('/')) return 'must start with slash';
  if (url.includes(' ')) return 'must not contain white-space';
  if (url.includes('//')) return 'must not contain double slash';
  const wildcards = url.split('*').length - 1;
  if (wildcards > 1 || (wildcards === 1 && !url.endsWith('/*'))) return 'wildcard can only do suffix matching';
  return undefined;
}

/** The conditions of a FlowSchema's or PriorityLevelConfiguration's status: types non-empty and unique. */
export function validateConditions(conditions: FlowControlCondition[] | undefined, path = 'status'): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const p = index(child(path, 'conditions'), i);
    const type = c.type ?? '';
    if (seen.has(type)) errs.push(duplicate(child(p, 'type'), type));
    seen.add(type);
    if (!type) errs.push(required(child(p, 'type'), 'must not be empty'));
  });
  return errs;
}

/** ValidateLimitedPriorityLevelConfiguration (v1: zero shares allowed). */
export function validateLimited(limited: LimitedPriorityLevelConfiguration, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ncs = limited.nominalConcurrencyShares ?? 0;
  if (ncs < 0) errs.push(invalidValue(child(path, 'nominalConcurrencyShares'), ncs, 'must be a non-negative integer'));
  errs.push(...validateLimitResponse(limited.limitResponse, child(path, 'limitResponse')));
  if (limited.lendablePercent !== undefined && (limited.lendablePercent < 0 || limited.lendablePercent > 100)) {
    errs.push(invalidValue(child(path, 'lendablePercent'), limited.lendablePercent, 'must be between 0 and 100, inclusive'));
  }
  if (limited.borrowingLimitPercent !== undefined && limited.borrowingLimitPercent < 0) {
    errs.push(invalidValue(child(path, 'borrowingLimitPercent'), limited.borrowingLimitPercent, 'if specified, must be a non-negative integer'));
  }
  return errs;
}

function validateLimitResponse(lr: LimitedPriorityLevelConfiguration['limitResponse'], path: string): FieldError[] {
  switch (lr.type) {
    case 'Reject':
      return lr.queuing ? [forbidden(child(path, 'queuing'), 'must be nil if limited.limitResponse.type is not Limited')] : [];
    case 'Queue':
      return lr.queuing ? validateQueuing(lr.queuing, child(path, 'queuing')) : [required(child(path, 'queuing'), 'must not be empty if limited.limitResponse.type is Limited')];
    default:
      return [notSupported(child(path, 'type'), lr.type, ['Queue', 'Reject'])];
  }
}

/** shufflesharding.RequiredEntropyBits. */
function requiredEntropyBits(deckSize: number, handSize: number): number {
  return Math.ceil(Math.log2(deckSize) * handSize);
}

function validateQueuing(q: QueuingConfiguration, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.queueLengthLimit <= 0) errs.push(invalidValue(child(path, 'queueLengthLimit'), q.queueLengthLimit, 'must be positive'));
  if (q.queues <= 0) errs.push(invalidValue(child(path, 'queues'), q.queues, 'must be positive'));
  else if (q.queues > MAX_QUEUES) errs.push(invalidValue(child(path, 'queues'), q.queues, `must not be greater than ${MAX_QUEUES}`));
  const hs = child(path, 'handSize');
  if (q.handSize <= 0) errs.push(invalidValue(hs, q.handSize, 'must be positive'));
  else if (q.handSize > q.queues) errs.push(invalidValue(hs, q.handSize, `should not be greater than queues (${q.queues})`));
  else if (requiredEntropyBits(q.queues, q.handSize) > MAX_HASH_BITS) {
    errs.push(invalidValue(hs, q.handSize, `required entropy bits of deckSize ${q.queues} and handSize ${q.handSize} should not be greater than ${MAX_HASH_BITS}`));
  }
  return errs;
}
