import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { podDisruptionBudgetResource as info } from './poddisruptionbudget.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>) {
  const p = info.schema.parse({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'zk-pdb', namespace: 'default' }, spec, ...(status ? { status } : {}) });
  info.prepareForCreate?.(p);
  info.applyDefaults(p);
  return p;
}

describe('PodDisruptionBudget', () => {
  it('has no v1 defaults besides the zero status, which create resets', () => {
    const p = info.schema.parse({ metadata: { name: 'p', namespace: 'd' }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 5 } });
    info.prepareForCreate?.(p);
    info.applyDefaults(p);
    expect(p.spec).toEqual({ minAvailable: 2 });
    expect(p.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['minAvailable int', { minAvailable: 2, selector: { matchLabels: { app: 'zookeeper' } } }, []],
    ['maxUnavailable percent', { maxUnavailable: '25%' }, []],
    ['negative minAvailable', { minAvailable: -1 }, ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']],
    ['percent over 100', { maxUnavailable: '150%' }, ['spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%']],
    ['not a percent', { minAvailable: 'half' }, [`spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`]],
    ['bad selector operator', { minAvailable: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Has' }] } }, ['spec.selector.matchExpressions[0].operator: Invalid value: "Has": not a valid selector operator']],
    ['unknown unhealthyPodEvictionPolicy', { minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }, ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(info.validate(pdb(spec)))).toEqual(expected);
  });

  it('minAvailable and maxUnavailable together: upstream\'s message with the Go rendering of the spec', () => {
    const [err, ...rest] = lines(info.validate(pdb({ minAvailable: 2, maxUnavailable: 1, selector: { matchLabels: { app: 'x' } } })));
    expect(rest).toEqual([]);
    expect(err).toMatch(/^spec: Invalid value: policy\.PodDisruptionBudgetSpec\{MinAvailable:\(\*intstr\.IntOrString\)\(0xc[0-9a-f]+\), Selector:\(\*v1\.LabelSelector\)\(0xc[0-9a-f]+\), MaxUnavailable:\(\*intstr\.IntOrString\)\(0xc[0-9a-f]+\), UnhealthyPodEvictionPolicy:\(\*policy\.UnhealthyPodEvictionPolicyType\)\(nil\)\}: minAvailable and maxUnavailable cannot be both set$/);
  });

  it('status counts may not be negative', () => {
    const p = pdb({ minAvailable: 1 });
    p.status = { ...p.status!, disruptionsAllowed: -1 };
    expect(lines(info.validate(p))).toEqual(['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('is namespaced with short name pdb and a status subresource', () => {
    expect(info).toMatchObject({ group: 'policy', version: 'v1', namespaced: true, shortNames: ['pdb'], subresources: { status: true } });
  });
});
