import { describe, expect, it } from 'vitest';
import { compileCel, AUTHORIZER_VARIABLE } from '../../pkg/cel/index.ts';
import type { RequestAttributes } from '../auth/request-attributes.ts';
import { admissionCelAuthorizer, checkAttributes } from './cel-authorizer.ts';
import type { AdmissionAttributes } from './types.ts';

const bob = { username: 'bob', uid: '3', groups: ['b', 'a'] };
const attrs = (user?: AdmissionAttributes['user']): AdmissionAttributes => ({
  operation: 'UPDATE',
  info: { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true } as AdmissionAttributes['info'],
  subresource: 'scale',
  namespace: 'team',
  name: 'web',
  dryRun: false,
  user,
  onFailure: () => {},
  onSuccess: () => {},
});

async function evaluate(expression: string, authorizer: unknown): Promise<unknown> {
  const compiled = compileCel(expression, [AUTHORIZER_VARIABLE]);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.program.evaluateAsync({ authorizer });
}

describe('the admission authorizer variable', () => {
  it('turns a CEL check into the server authorizer attributes (field selector parsed)', () => {
    expect(checkAttributes({ user: bob, verb: 'list', resourceRequest: true, path: '', apiGroup: '', apiVersion: '*', resource: 'pods', subresource: '', namespace: 'ns', name: '', fieldSelector: 'spec.nodeName=n1', labelSelector: 'a=b' })).toEqual({
      user: bob,
      verb: 'list',
      resourceRequest: true,
      path: '',
      apiGroup: '',
      apiVersion: '*',
      resource: 'pods',
      subresource: '',
      namespace: 'ns',
      name: '',
      fieldSelector: [{ field: 'spec.nodeName', operator: '=', value: 'n1' }],
    });
  });

  it('checks as the request user, binds requestResource to the request, and asks each check once', async () => {
    const asked: RequestAttributes[] = [];
    const authorizer = { authorize: async (a: RequestAttributes) => (asked.push(a), { decision: 'allow' as const, reason: '' }) };
    const value = admissionCelAuthorizer(authorizer, attrs(bob));
    expect(await evaluate("authorizer.requestResource.check('update').allowed() && authorizer.requestResource.check('update').allowed()", value)).toBe(true);
    expect(asked.map((a) => [a.user.username, a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name])).toEqual([['bob', 'update', 'apps', 'deployments', 'scale', 'team', 'web']]);
  });

  it('reports an authorizer failure as an errored decision', async () => {
    const value = admissionCelAuthorizer({ authorize: () => Promise.reject(new Error('authorizer down')) }, attrs(bob));
    expect(await evaluate("[authorizer.path('/x').check('get').errored(), authorizer.path('/x').check('get').error()]", value)).toEqual([true, 'authorizer down']);
  });

  it('is absent without a server authorizer, and checks as the empty user without a known user', async () => {
    expect(admissionCelAuthorizer(undefined, attrs(bob))).toBeUndefined();
    const asked: string[] = [];
    const value = admissionCelAuthorizer({ authorize: async (a) => (asked.push(a.user.username), { decision: 'no-opinion', reason: 'nobody' }) }, attrs());
    expect(await evaluate("authorizer.path('/x').check('get').reason()", value)).toBe('nobody');
    expect(asked).toEqual(['']);
  });
});
