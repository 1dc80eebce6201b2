import { describe, expect, it } from 'vitest';
import { toTable } from './index.ts';
import { goLabelSelectorString, paramRefCell } from './admissionregistration.ts';

const now = new Date('2026-01-01T00:10:00Z');
const meta = (name: string) => ({ name, creationTimestamp: '2026-01-01T00:00:00Z' });
const info = (kind: string) => ({ group: 'admissionregistration.k8s.io', kind });
const table = (kind: string, objects: any[]) => toTable({ info: info(kind), objects, includeObject: 'None', now }) as any;

describe('admissionregistration printers', () => {
  it('ValidatingAdmissionPolicy: NAME VALIDATIONS PARAMKIND AGE', () => {
    const t = table('ValidatingAdmissionPolicy', [
      { metadata: meta('demo-policy.example.com'), spec: { validations: [{ expression: 'a' }, { expression: 'b' }] } },
      { metadata: meta('with-params'), spec: { paramKind: { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' } } },
    ]);
    expect(t.columnDefinitions.map((c: any) => [c.name, c.type])).toEqual([['Name', 'string'], ['Validations', 'integer'], ['ParamKind', 'string'], ['Age', 'string']]);
    expect(t.rows.map((r: any) => r.cells)).toEqual([
      ['demo-policy.example.com', 2, '<unset>', '10m'],
      ['with-params', 0, 'rules.example.com/v1/ReplicaLimit', '10m'],
    ]);
  });

  it('ValidatingAdmissionPolicyBinding: NAME POLICYNAME PARAMREF AGE', () => {
    const t = table('ValidatingAdmissionPolicyBinding', [{ metadata: meta('b'), spec: { policyName: 'p', paramRef: { name: 'limits', namespace: 'ns' } } }]);
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'PolicyName', 'ParamRef', 'Age']);
    expect(t.rows[0].cells).toEqual(['b', 'p', 'ns/limits', '10m']);
  });

  it.each([
    [undefined, '<unset>'],
    [{ name: 'limits' }, '*/limits'],
    [{ name: 'limits', namespace: 'default' }, 'default/limits'],
    [{ selector: { matchLabels: { b: '2', a: '1' } } }, '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{},}'],
    [{}, '<unset>'],
  ])('PARAMREF of %j is %s', (ref, cell) => {
    expect(paramRefCell(ref)).toBe(cell);
  });

  it('renders selector expressions as Go does', () => {
    expect(goLabelSelectorString({ matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] })).toBe(
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[a b],},},}',
    );
  });

  it('webhook configurations: NAME WEBHOOKS AGE', () => {
    const t = table('ValidatingWebhookConfiguration', [{ metadata: meta('v'), webhooks: [{}, {}] }]);
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Webhooks', 'Age']);
    expect(t.rows[0].cells).toEqual(['v', 2, '10m']);
    expect(table('MutatingWebhookConfiguration', [{ metadata: meta('m') }]).rows[0].cells).toEqual(['m', 0, '10m']);
  });
});
