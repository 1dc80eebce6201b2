/** Ingress, IngressClass and NetworkPolicy: defaults and validation messages as upstream's. */
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import type { ResourceInfo } from '../../resource.ts';
import { anyResource } from '../../core/v1/common.ts';
import { ingressResource } from './ingress.ts';
import { ingressClassResource } from './ingressclass.ts';
import { networkPolicyResource } from './networkpolicy.ts';
import { cidrStrictlyContains } from './cidr.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
function decode(info: ResourceInfo, body: Record<string, unknown>) {
  const obj = info.schema.parse({ metadata: { name: 'x', ...(info.namespaced ? { namespace: 'default' } : {}) }, ...body });
  info.prepareForCreate?.(obj);
  info.applyDefaults(obj);
  return obj;
}
const ing = anyResource(ingressResource);
const ic = anyResource(ingressClassResource);
const np = anyResource(networkPolicyResource);
const svc = (port: Record<string, unknown> = { number: 80 }) => ({ service: { name: 'test', port } });
const rule = (path: Record<string, unknown>, host?: string) => ({ spec: { rules: [{ ...(host ? { host } : {}), http: { paths: [{ backend: svc(), ...path }] } }] } });

describe('Ingress', () => {
  it('the docs\' minimal-ingress is valid; status starts as an empty load balancer', () => {
    const obj = decode(ing, rule({ path: '/testpath', pathType: 'Prefix' }));
    expect(ing.validate(obj)).toEqual([]);
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['missing pathType', rule({ path: '/x' }), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['relative Prefix path', rule({ path: 'x', pathType: 'Prefix' }), ['spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path']],
    ['bad pathType', rule({ path: '/', pathType: 'Regex' }), ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
    ['ImplementationSpecific may have no path', rule({ pathType: 'ImplementationSpecific' }), []],
    ['path with //', rule({ path: '/a//b', pathType: 'Exact' }), ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"]],
    ['wildcard host', rule({ path: '/', pathType: 'Prefix' }, '*.foo.com'), []],
    ['bad wildcard host', rule({ path: '/', pathType: 'Prefix' }, 'foo.*.com'), [`spec.rules[0].host: Invalid value: "foo.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
    ['IP host', rule({ path: '/', pathType: 'Prefix' }, '1.2.3.4'), ['spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address']],
    ['port name and number', { spec: { defaultBackend: svc({ name: 'http', number: 80 }) } }, ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']],
    ['no port', { spec: { defaultBackend: svc({}) } }, ['spec.defaultBackend: Required value: port name or number is required']],
    ['no backend at all', { spec: { defaultBackend: {} } }, ['spec.defaultBackend: Invalid value: "": resource or service backend is required']],
    ['neither rules nor defaultBackend', { spec: {} }, ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['bad TLS host', { spec: { defaultBackend: svc(), tls: [{ hosts: ['Foo.com'] }] } }, [`spec.tls[0].hosts[0]: Invalid value: "Foo.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
  ])('%s', (_name, body, expected) => {
    expect(lines(ing.validate(decode(ing, body)))).toEqual(expected);
  });

  it('the class annotation next to ingressClassName is refused on create only', () => {
    const obj = decode(ing, { metadata: { name: 'x', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: { ingressClassName: 'nginx', defaultBackend: svc() } });
    expect(lines(ing.validate(obj))).toEqual(['annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set']);
    expect(ing.validate(obj, obj)).toEqual([]);
  });
});

describe('IngressClass', () => {
  it('defaults the parameters\' scope to Cluster', () => {
    const obj = decode(ic, { spec: { controller: 'example.com/ingress-controller', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } });
    expect((obj.spec as { parameters: { scope: string } }).parameters.scope).toBe('Cluster');
    expect(ic.validate(obj)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no controller', { spec: {} }, ['spec.controller: Required value']],
    ['controller without domain', { spec: { controller: 'nginx' } }, ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']],
    ['Namespace scope without namespace', { spec: { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', scope: 'Namespace' } } }, ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]],
    ['bad scope', { spec: { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', scope: 'Everywhere' } } }, ['spec.parameters.scope: Unsupported value: "Everywhere": supported values: "Cluster", "Namespace"']],
  ])('%s', (_name, body, expected) => {
    expect(lines(ic.validate(decode(ic, body)))).toEqual(expected);
  });

  it('the controller is immutable', () => {
    const old = decode(ic, { spec: { controller: 'a.io/one' } });
    expect(lines(ic.validate(decode(ic, { spec: { controller: 'a.io/two' } }), old))).toEqual(['spec.controller: Invalid value: "a.io/two": field is immutable']);
  });
});

describe('NetworkPolicy', () => {
  it('defaults protocol TCP and policyTypes from the rules present', () => {
    const obj = decode(np, { spec: { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 6379 }] }], egress: [{ ports: [{ port: 5978 }] }] } });
    expect(obj.spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'], ingress: [{ ports: [{ protocol: 'TCP', port: 6379 }] }] });
    expect((decode(np, { spec: {} }).spec as Record<string, unknown>)).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['empty peer', { ingress: [{ from: [{}] }] }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    ['ipBlock with a selector', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']],
    ['except outside cidr', { egress: [{ to: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['10.0.0.0/24'] } }] }] }, ['spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/24": must be a strict subset of `cidr`']],
    ['bad protocol', { ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] }, ['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"']],
    ['endPort below port', { ingress: [{ ports: [{ port: 100, endPort: 90 }] }] }, ['spec.ingress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to `port`']],
    ['bad policy type', { policyTypes: ['Sideways'] }, ['spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']],
    ['three policy types', { policyTypes: ['Ingress', 'Egress', 'Ingress'] }, ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(np.validate(decode(np, { spec })))).toEqual(expected);
  });

  it.each([
    ['172.17.0.0/16', '172.17.1.0/24', true],
    ['172.17.0.0/16', '172.17.0.0/16', false],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/32', '10.0.0.0/8', false],
  ])('%s strictly contains %s: %s', (outer, inner, expected) => {
    expect(cidrStrictlyContains(outer, inner)).toBe(expected);
  });
});
