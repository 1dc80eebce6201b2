import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { mutatingWebhookConfigurationResource as mwc } from './mutatingwebhookconfiguration.ts';
import { validatingWebhookConfigurationResource as vwc } from './validatingwebhookconfiguration.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const base = { name: 'hook.example.com', clientConfig: { url: 'https://example.com/hook' }, sideEffects: 'None', admissionReviewVersions: ['v1'] };

function mutating(hook: Record<string, unknown>) {
  const obj = mwc.schema.parse({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'cfg' }, webhooks: [hook] });
  mwc.applyDefaults(obj);
  return obj;
}

describe('webhook configurations', () => {
  it('default as upstream v1', () => {
    const obj = mutating({ ...base, clientConfig: { service: { namespace: 'ns', name: 'svc' } }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] });
    expect(obj.webhooks![0]).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      reinvocationPolicy: 'Never',
      rules: [{ scope: '*' }],
      clientConfig: { service: { port: 443 } },
    });
    expect(mwc.validate(obj)).toEqual([]);
    const v = vwc.schema.parse({ metadata: { name: 'v' }, webhooks: [base] });
    vwc.applyDefaults(v);
    expect(v.webhooks![0]).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 10 });
    expect(v.webhooks![0]).not.toHaveProperty('reinvocationPolicy');
    expect(mwc).toMatchObject({ group: 'admissionregistration.k8s.io', namespaced: false, plural: 'mutatingwebhookconfigurations' });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['sideEffects missing', { ...base, sideEffects: undefined }, ['webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun']],
    ['sideEffects Some', { ...base, sideEffects: 'Some' }, ['webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"']],
    ['admissionReviewVersions missing', { ...base, admissionReviewVersions: undefined }, ['webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1']],
    ['no accepted version', { ...base, admissionReviewVersions: ['v2'] }, ['webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1']],
    ['name with two segments', { ...base, name: 'hook.example' }, ['webhooks[0].name: Invalid value: "hook.example": should be a domain with at least three segments separated by dots']],
    ['no client config', { ...base, clientConfig: {} }, ['webhooks[0].clientConfig: Required value: exactly one of url or service is required']],
    ['http url', { ...base, clientConfig: { url: 'http://example.com/x' } }, ["webhooks[0].clientConfig.url: Invalid value: \"http://example.com/x\": 'https' is the only allowed URL scheme"]],
    ['timeout 31', { ...base, timeoutSeconds: 31 }, ['webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds']],
    ['bad failurePolicy', { ...base, failurePolicy: 'Never' }, ['webhooks[0].failurePolicy: Unsupported value: "Never": supported values: "Fail", "Ignore"']],
    ['bad reinvocationPolicy', { ...base, reinvocationPolicy: 'Always' }, ['webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"']],
    ['rule without operations', { ...base, rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }, ['webhooks[0].rules[0].operations: Required value']],
    ['bad operation', { ...base, rules: [{ operations: ['PATCH'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }, ['webhooks[0].rules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"']],
  ])('%s', (_n, hook, expected) => {
    expect(lines(mwc.validate(mutating(hook)))).toEqual(expected);
  });

  it('webhook names are unique within a configuration', () => {
    const obj = mwc.schema.parse({ metadata: { name: 'cfg' }, webhooks: [base, base] });
    mwc.applyDefaults(obj);
    expect(lines(mwc.validate(obj))).toEqual(['webhooks[1].name: Duplicate value: "hook.example.com"']);
  });
});
