/** Ingress, IngressClass, NetworkPolicy and PodDisruptionBudget rows as upstream's printers produce them. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import { formatIngressHosts, ingressAddresses, ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './ingress.ts';
import { podDisruptionBudgetPrinter } from './policy.ts';
import { getPrinter } from './index.ts';

const now = new Date('2026-01-01T00:10:00Z');
const obj = (fields: Record<string, unknown>): KubeObject => ({ metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' }, ...fields });

describe('printers', () => {
  it('are registered for the four kinds', () => {
    expect(getPrinter('networking.k8s.io', 'Ingress')).toBe(ingressPrinter);
    expect(getPrinter('networking.k8s.io', 'IngressClass')).toBe(ingressClassPrinter);
    expect(getPrinter('networking.k8s.io', 'NetworkPolicy')).toBe(networkPolicyPrinter);
    expect(getPrinter('policy', 'PodDisruptionBudget')).toBe(podDisruptionBudgetPrinter);
    expect(ingressPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    expect(podDisruptionBudgetPrinter.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['Name:string', 'Min Available:string', 'Max Unavailable:string', 'Allowed Disruptions:integer', 'Age:string']);
  });

  it.each<[string, Record<string, unknown>, unknown[]]>([
    ['no class, no host, no TLS', { spec: { rules: [{ http: {} }] } }, ['x', '<none>', '*', '', '80', '10m']],
    ['class, hosts, TLS, address', { spec: { ingressClassName: 'nginx', rules: [{ host: 'a.com' }, { host: 'b.com' }], tls: [{}] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }] } } }, ['x', 'nginx', 'a.com,b.com', '10.0.0.2,lb.example.com', '80, 443', '10m']],
  ])('ingress: %s', (_name, fields, cells) => {
    expect(ingressPrinter.row(obj(fields), now)).toEqual(cells);
  });

  it('hosts beyond three; addresses clipped to 16 bytes when not wide', () => {
    expect(formatIngressHosts(['a', 'b', 'c', 'd', 'e'].map((host) => ({ host })))).toBe('a,b,c + 2 more...');
    expect(ingressAddresses({ loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }] } }, false)).toBe('10.0.0.2,lb.e...');
  });

  it.each<[Record<string, unknown>, string]>([
    [{ controller: 'k8s.io/ingress-nginx' }, '<none>'],
    [{ controller: 'example.com/ic', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } }, 'IngressParameters.k8s.example.com/external-lb'],
    [{ controller: 'example.com/ic', parameters: { kind: 'ConfigMap', name: 'cfg' } }, 'ConfigMap/cfg'],
  ])('ingressclass %j → parameters %s', (spec, parameters) => {
    expect(ingressClassPrinter.row(obj({ spec }), now)).toEqual(['x', spec.controller, parameters, '10m']);
  });

  it('networkpolicy pod selector', () => {
    expect(networkPolicyPrinter.row(obj({ spec: { podSelector: { matchLabels: { role: 'db' } } } }), now)).toEqual(['x', 'role=db', '10m']);
    expect(networkPolicyPrinter.row(obj({ spec: { podSelector: {} } }), now)).toEqual(['x', '<none>', '10m']);
  });

  it.each<[Record<string, unknown>, unknown[]]>([
    [{ minAvailable: 2 }, ['x', '2', 'N/A', 1, '10m']],
    [{ maxUnavailable: '25%' }, ['x', 'N/A', '25%', 1, '10m']],
  ])('pdb %j', (spec, cells) => {
    expect(podDisruptionBudgetPrinter.row(obj({ spec, status: { disruptionsAllowed: 1 } }), now)).toEqual(cells);
  });
});
