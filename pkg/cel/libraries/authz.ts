/**
 * Kubernetes' CEL authorizer library (apiserver/pkg/cel/library/authz.go, with the 1.31+
 * selectors library): authorization checks from inside an expression, run as the user who sent
 * the request.
 *
 *     authorizer.group('apps').resource('deployments').namespace('ns').name('web').check('update').allowed()
 *     authorizer.path('/healthz').check('get').allowed()
 *     authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('list').reason()
 *     authorizer.requestResource.subresource('status').check('update').errored()
 *
 * The types are declared in every environment; the `authorizer` variable only where upstream
 * declares it (webhook matchConditions, ValidatingAdmissionPolicy expressions except
 * messageExpression) — CRD validation rules cannot name it. `check()` is asynchronous: it calls
 * the {@link CheckAuthorization} the value was built with, so an expression that checks
 * evaluates to a Promise (see `CelProgram.evaluateAsync`). Values expose no fields to CEL except
 * `authorizer.requestResource`. Read from an activation wrapped by `withCostLimit`, each check
 * costs upstream's {@link AUTHORIZATION_CHECK_COST}: at most two per expression.
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';
import { CelEvaluationError } from '../compile.ts';
import { BIND_COST_BUDGET, spend, type CelCostBudget } from '../cost-limit.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/names.ts';
import { serviceAccountUser } from '../../auth/serviceaccount-user.ts';
import type { UserInfo } from '../../auth/user.ts';

const NS = 'kubernetes.authorization';
const AUTHORIZER = `${NS}.Authorizer`;
const PATH_CHECK = `${NS}.PathCheck`;
const GROUP_CHECK = `${NS}.GroupCheck`;
const RESOURCE_CHECK = `${NS}.ResourceCheck`;
const DECISION = `${NS}.Decision`;

/** What one check asks the authorizer (upstream's `AttributesRecord` as the library fills it in). */
export interface AuthorizationCheck {
  /** The requesting user, or the service account of `serviceAccount(ns, name)`. */
  user: UserInfo;
  verb: string;
  /** False for `path(...)` checks, which are about `path` alone. */
  resourceRequest: boolean;
  path: string;
  apiGroup: string;
  /** Always `*`: checks are not about one version. */
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** As given to `fieldSelector()`, '' when unset (parsing is the authorizer's business). */
  fieldSelector: string;
  /** As given to `labelSelector()`, '' when unset. */
  labelSelector: string;
}

/** The authorizer's answer to a check. */
export interface AuthorizationOutcome {
  decision: 'allow' | 'deny' | 'no-opinion';
  reason: string;
}

/**
 * Asks the API server's authorizer. A rejected promise is an authorizer error: the expression
 * still gets a Decision, with `errored()` true, `error()` the message and `allowed()` false.
 */
export type CheckAuthorization = (check: AuthorizationCheck) => Promise<AuthorizationOutcome>;

/** The resource a request is for, bound as `authorizer.requestResource`. */
export interface RequestResource {
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** What one check costs (upstream's cost estimator: "allow for only two authorization checks per expression"). */
export const AUTHORIZATION_CHECK_COST = 350_000;

/** The `authorizer` value: who checks run as and how they are answered. */
export class CelAuthorizer {
  /** Only on the request's own authorizer, not on one from `serviceAccount()`. */
  readonly requestResource?: CelResourceCheck;

  constructor(
    readonly user: UserInfo,
    readonly authorize: CheckAuthorization,
    private readonly request?: RequestResource,
    /** Where checks are charged, once bound to an evaluation. */
    readonly budget?: CelCostBudget,
  ) {
    if (request) {
      const self = new CelAuthorizer(user, authorize, undefined, budget);
      const fields = { resource: request.resource, subresource: request.subresource ?? '', namespace: request.namespace ?? '', name: request.name ?? '', fieldSelector: '', labelSelector: '' };
      this.requestResource = new CelResourceCheck(new CelGroupCheck(self, request.group), fields);
    }
  }

  /** This authorizer with its checks charged to `budget` (see `withCostLimit`). */
  [BIND_COST_BUDGET](budget: CelCostBudget): CelAuthorizer {
    return new CelAuthorizer(this.user, this.authorize, this.request, budget);
  }
}

/** `authorizer.path(p)`. */
export class CelPathCheck {
  constructor(
    readonly authorizer: CelAuthorizer,
    readonly path: string,
  ) {}
}

/** `authorizer.group(g)`. */
export class CelGroupCheck {
  constructor(
    readonly authorizer: CelAuthorizer,
    readonly group: string,
  ) {}
}

type ResourceFields = Pick<AuthorizationCheck, 'resource' | 'subresource' | 'namespace' | 'name' | 'fieldSelector' | 'labelSelector'>;

/** `….resource(r)` and its refinements; each refinement returns a new value. */
export class CelResourceCheck {
  constructor(
    readonly groupCheck: CelGroupCheck,
    readonly fields: Readonly<ResourceFields>,
  ) {}

  with(change: Partial<ResourceFields>): CelResourceCheck {
    return new CelResourceCheck(this.groupCheck, { ...this.fields, ...change });
  }
}

/** The result of `check(verb)`. */
export class CelDecision {
  constructor(
    readonly outcome: AuthorizationOutcome,
    /** The authorizer's error, when it failed. */
    readonly error?: string,
  ) {}
}

/** The `authorizer` variable for a request by `user`; with `requestResource`, also `authorizer.requestResource`. */
export function celAuthorizer(options: { user: UserInfo; authorize: CheckAuthorization; requestResource?: RequestResource }): CelAuthorizer {
  return new CelAuthorizer(options.user, options.authorize, options.requestResource);
}

/** The declaration of `authorizer` for environments that offer it. */
export const AUTHORIZER_VARIABLE = { name: 'authorizer', type: AUTHORIZER } as const;

async function run(authorizer: CelAuthorizer, check: Omit<AuthorizationCheck, 'user'>): Promise<CelDecision> {
  // Exceeding the budget fails the expression; an authorizer failure is a Decision.
  if (authorizer.budget) spend(authorizer.budget, AUTHORIZATION_CHECK_COST);
  try {
    return new CelDecision(await authorizer.authorize({ ...check, user: authorizer.user }));
  } catch (err) {
    return new CelDecision({ decision: 'no-opinion', reason: '' }, err instanceof Error ? err.message : String(err));
  }
}

async function checkPath(p: CelPathCheck, verb: string): Promise<CelDecision> {
  return run(p.authorizer, { verb, resourceRequest: false, path: p.path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', fieldSelector: '', labelSelector: '' });
}

async function checkResource(r: CelResourceCheck, verb: string): Promise<CelDecision> {
  return run(r.groupCheck.authorizer, { verb, resourceRequest: true, path: '', apiGroup: r.groupCheck.group, apiVersion: '*', ...r.fields });
}

function path(a: CelAuthorizer, p: string): CelPathCheck {
  if (!p.trim()) throw new EvaluationError('path must not be empty');
  return new CelPathCheck(a, p);
}

function resource(g: CelGroupCheck, r: string): CelResourceCheck {
  if (!r.trim()) throw new EvaluationError('resource must not be empty');
  return new CelResourceCheck(g, { resource: r, subresource: '', namespace: '', name: '', fieldSelector: '', labelSelector: '' });
}

function serviceAccount(a: CelAuthorizer, namespace: string, name: string): CelAuthorizer {
  // Upstream's capitalised texts (thrown as they are, not lower-cased like the evaluator's own).
  if (isDNS1123Subdomain(name).length > 0) throw new CelEvaluationError('Invalid service account name');
  if (isDNS1123Label(namespace).length > 0) throw new CelEvaluationError('Invalid service account namespace');
  return new CelAuthorizer(serviceAccountUser({ namespace, name, uid: '' }), a.authorize, undefined, a.budget);
}

/** Registers the authorization types and functions on `env` (not the `authorizer` variable). */
export function registerAuthzLibrary(env: Environment): void {
  const refine = (field: keyof ResourceFields) => (r: CelResourceCheck, value: string) => r.with({ [field]: value });
  env
    .registerType(RESOURCE_CHECK, { ctor: CelResourceCheck, fields: {} })
    .registerType(AUTHORIZER, { ctor: CelAuthorizer, fields: { requestResource: RESOURCE_CHECK } })
    .registerType(PATH_CHECK, { ctor: CelPathCheck, fields: {} })
    .registerType(GROUP_CHECK, { ctor: CelGroupCheck, fields: {} })
    .registerType(DECISION, { ctor: CelDecision, fields: {} })
    .registerFunction(`${AUTHORIZER}.path(string): ${PATH_CHECK}`, path)
    .registerFunction(`${AUTHORIZER}.group(string): ${GROUP_CHECK}`, (a: CelAuthorizer, group: string) => new CelGroupCheck(a, group))
    .registerFunction(`${AUTHORIZER}.serviceAccount(string, string): ${AUTHORIZER}`, serviceAccount)
    .registerFunction(`${GROUP_CHECK}.resource(string): ${RESOURCE_CHECK}`, resource)
    .registerFunction(`${RESOURCE_CHECK}.subresource(string): ${RESOURCE_CHECK}`, refine('subresource'))
    .registerFunction(`${RESOURCE_CHECK}.namespace(string): ${RESOURCE_CHECK}`, refine('namespace'))
    .registerFunction(`${RESOURCE_CHECK}.name(string): ${RESOURCE_CHECK}`, refine('name'))
    .registerFunction(`${RESOURCE_CHECK}.fieldSelector(string): ${RESOURCE_CHECK}`, refine('fieldSelector'))
    .registerFunction(`${RESOURCE_CHECK}.labelSelector(string): ${RESOURCE_CHECK}`, refine('labelSelector'))
    .registerFunction(`${PATH_CHECK}.check(string): ${DECISION}`, checkPath)
    .registerFunction(`${RESOURCE_CHECK}.check(string): ${DECISION}`, checkResource)
    .registerFunction(`${DECISION}.allowed(): bool`, (d: CelDecision) => d.outcome.decision === 'allow')
    .registerFunction(`${DECISION}.reason(): string`, (d: CelDecision) => d.outcome.reason)
    .registerFunction(`${DECISION}.errored(): bool`, (d: CelDecision) => d.error !== undefined)
    .registerFunction(`${DECISION}.error(): string`, (d: CelDecision) => d.error ?? '');
}
