import { describe, expect, it } from 'vitest';
import { compileCel, CelEvaluationError } from '../compile.ts';
import { COST_LIMIT_EXCEEDED, PER_CALL_COST_LIMIT, withCostLimit } from '../cost-limit.ts';
import { AUTHORIZER_VARIABLE, celAuthorizer, type AuthorizationCheck, type AuthorizationOutcome } from './authz.ts';

const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };

/** A fake authorizer: allows `list pods`, errors on `secrets`, denies the rest; records every check. */
function fakeAuthorizer() {
  const checks: AuthorizationCheck[] = [];
  const authorize = async (check: AuthorizationCheck): Promise<AuthorizationOutcome> => {
    checks.push(check);
    if (check.resource === 'secrets') throw new Error('webhook authorizer unavailable');
    if (!check.resourceRequest) return check.path === '/healthz' ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: 'no rule for path' };
    if (check.user.username === 'system:serviceaccount:kube-system:admin') return { decision: 'allow', reason: 'sa grant' };
    if (check.resource === 'pods' && check.verb === 'list') return { decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "devs"' };
    if (check.resource === 'nodes') return { decision: 'deny', reason: 'nodes are off limits' };
    return { decision: 'no-opinion', reason: '' };
  };
  return { checks, authorize };
}

async function run(expression: string, fake = fakeAuthorizer()): Promise<unknown> {
  const compiled = compileCel(expression, ['object', AUTHORIZER_VARIABLE]);
  if (!compiled.ok) throw new Error(compiled.message);
  const authorizer = celAuthorizer({ user: alice, authorize: fake.authorize, requestResource: { group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'ns', name: 'web' } });
  return compiled.program.evaluateAsync({ object: null, authorizer });
}

describe('CEL authorizer library', () => {
  it.each([
    ["authorizer.group('').resource('pods').check('list').allowed()", true],
    ["authorizer.group('').resource('pods').check('delete').allowed()", false],
    ["authorizer.group('').resource('pods').check('list').reason()", 'RBAC: allowed by ClusterRoleBinding "devs"'],
    ["authorizer.group('').resource('nodes').check('get').allowed()", false],
    ["authorizer.group('').resource('nodes').check('get').reason()", 'nodes are off limits'],
    ["authorizer.group('').resource('nodes').check('get').errored()", false],
    ["authorizer.group('').resource('nodes').check('get').error()", ''],
    ["authorizer.group('').resource('secrets').check('get').errored()", true],
    ["authorizer.group('').resource('secrets').check('get').error()", 'webhook authorizer unavailable'],
    ["authorizer.group('').resource('secrets').check('get').allowed()", false],
    ["authorizer.path('/healthz').check('get').allowed()", true],
    ["authorizer.path('/metrics').check('get').reason()", 'no rule for path'],
    ["authorizer.serviceAccount('kube-system', 'admin').group('').resource('nodes').check('delete').allowed()", true],
    ["[1, 2].all(i, authorizer.group('').resource('pods').check('list').allowed())", true],
    ["!authorizer.group('admissionregistration.k8s.io').resource('validatingwebhookconfigurations').name('my-webhook.example.com').check('breakglass').allowed()", true],
  ])('%s → %j', async (expression, expected) => {
    expect(await run(expression)).toEqual(expected);
  });

  it('builds the attributes upstream does, as the requesting user', async () => {
    const fake = fakeAuthorizer();
    await run("authorizer.group('apps').resource('deployments').subresource('status').namespace('ns').name('web').fieldSelector('spec.x=y').labelSelector('a=b').check('update').allowed()", fake);
    await run("authorizer.path('/healthz').check('get').allowed()", fake);
    expect(fake.checks).toEqual([
      { user: alice, verb: 'update', resourceRequest: true, path: '', apiGroup: 'apps', apiVersion: '*', resource: 'deployments', subresource: 'status', namespace: 'ns', name: 'web', fieldSelector: 'spec.x=y', labelSelector: 'a=b' },
      { user: alice, verb: 'get', resourceRequest: false, path: '/healthz', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', fieldSelector: '', labelSelector: '' },
    ]);
  });

  it('binds authorizer.requestResource to the request and serviceAccount() to the account', async () => {
    const fake = fakeAuthorizer();
    await run("authorizer.requestResource.check('update').allowed() || authorizer.requestResource.subresource('').check('get').allowed()", fake);
    await run("authorizer.serviceAccount('ns1', 'builder').group('').resource('pods').check('get').allowed()", fake);
    expect(fake.checks.map((c) => [c.user.username, c.verb, c.apiGroup, c.resource, c.subresource, c.namespace, c.name])).toEqual([
      ['alice', 'update', 'apps', 'deployments', 'scale', 'ns', 'web'],
      ['alice', 'get', 'apps', 'deployments', '', 'ns', 'web'],
      ['system:serviceaccount:ns1:builder', 'get', '', 'pods', '', '', ''],
    ]);
    expect(fake.checks[2]!.user.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:ns1']);
  });

  it.each([
    ["authorizer.path(' ').check('get').allowed()", 'path must not be empty'],
    ["authorizer.group('').resource('').check('get').allowed()", 'resource must not be empty'],
    ["authorizer.serviceAccount('ns', 'Bad_Name').path('/x').check('get').allowed()", 'Invalid service account name'],
    ["authorizer.serviceAccount('bad.ns', 'ok').path('/x').check('get').allowed()", 'Invalid service account namespace'],
  ])('fails %s with upstream text', async (expression, message) => {
    await expect(run(expression)).rejects.toThrowError(new CelEvaluationError(message));
  });

  it('type-checks like upstream: fields are not exposed, and the variable exists only where declared', () => {
    expect(compileCel("authorizer.group('').resource('pods').check('list')", [AUTHORIZER_VARIABLE]).ok && 'compiled').toBe('compiled');
    const typed = compileCel("authorizer.requestResource.check('get').allowed()", [AUTHORIZER_VARIABLE]);
    expect(typed.ok && typed.program.type).toBe('bool');
    expect(compileCel("authorizer.user", [AUTHORIZER_VARIABLE]).ok).toBe(false);
    expect(compileCel("authorizer.group('').check('get')", [AUTHORIZER_VARIABLE]).ok).toBe(false);
    expect(compileCel("authorizer.path('/x').check('get').allowed()", ['self'])).toEqual({
      ok: false,
      message: "ERROR: <input>:1:1: undeclared reference to 'authorizer' (in container '')\n | authorizer.path('/x').check('get').allowed()\n | ^",
    });
  });
});

describe('CEL authorizer cost', () => {
  it('allows two checks per expression, as upstream, when the activation is cost-limited', async () => {
    const fake = fakeAuthorizer();
    const authorizer = celAuthorizer({ user: alice, authorize: fake.authorize });
    const evaluate = (expression: string) => {
      const compiled = compileCel(expression, [AUTHORIZER_VARIABLE]);
      if (!compiled.ok) throw new Error(compiled.message);
      return compiled.program.evaluateAsync(withCostLimit({ authorizer }, { remaining: PER_CALL_COST_LIMIT }));
    };
    const check = (verb: string) => `authorizer.group('').resource('pods').check('${verb}').allowed()`;
    expect(await evaluate(`${check('list')} || ${check('get')}`)).toBe(true);
    expect(await evaluate(`${check('get')} || ${check('watch')}`)).toBe(false);
    await expect(evaluate(`${check('get')} || ${check('watch')} || ${check('list')}`)).rejects.toThrowError(new CelEvaluationError(COST_LIMIT_EXCEEDED));
    await expect(evaluate(`authorizer.serviceAccount('a', 'b').path('/x').check('get').allowed() || ${check('get')} || ${check('list')}`)).rejects.toThrowError(new CelEvaluationError(COST_LIMIT_EXCEEDED));
    // The first expression stops after its first (allowed) check; the failing ones never ask a third time.
    expect(fake.checks).toHaveLength(7);
  });
});
