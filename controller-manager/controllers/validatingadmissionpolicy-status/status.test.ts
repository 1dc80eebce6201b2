/** validatingadmissionpolicy-status-controller: the decision, and the status it applies against the in-process API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { CONTROLLER_NAME, desiredPolicyStatus, VALIDATING_ADMISSION_POLICIES } from './index.ts';

const policy = (generation: number | undefined, observedGeneration?: number) => ({ metadata: { name: 'p', generation }, status: observedGeneration === undefined ? {} : { observedGeneration } }) as ValidatingAdmissionPolicy;

describe('desiredPolicyStatus', () => {
  it.each([
    [policy(1), { observedGeneration: 1, typeChecking: {} }],
    [policy(2, 1), { observedGeneration: 2, typeChecking: {} }],
    [policy(2, 2), undefined],
    [policy(undefined), undefined],
  ])('%j → %j', (p, expected) => {
    expect(desiredPolicyStatus(p)).toEqual(expected);
  });
});

describe('validatingadmissionpolicy-status-controller', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: [CONTROLLER_NAME] });
  });
  afterAll(() => cp?.stop());

  it('records the observed generation and an empty type check, again after a spec change', async () => {
    const policies = cp.client.resource<ValidatingAdmissionPolicy>(VALIDATING_ADMISSION_POLICIES);
    const spec = { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }, validations: [{ expression: 'object.spec.replicas <= 5' }] };
    await policies.create({ metadata: { name: 'demo-policy.example.com' }, spec } as ValidatingAdmissionPolicy);
    await waitFor('status observed', async () => (await policies.get('demo-policy.example.com')).status?.observedGeneration === 1, { timeoutMs: 10_000 });
    const first = await policies.get('demo-policy.example.com');
    expect(first.status).toEqual({ observedGeneration: 1, typeChecking: {} });
    expect(first.metadata.managedFields?.some((m) => m.manager === CONTROLLER_NAME && m.subresource === 'status')).toBe(true);
    await policies.patch('demo-policy.example.com', { spec: { validations: [{ expression: 'object.spec.replicas <= 3' }] } }, { type: 'merge' });
    await waitFor('new generation observed', async () => (await policies.get('demo-policy.example.com')).status?.observedGeneration === 2, { timeoutMs: 10_000 });
  });
});
