/**
 * networking.k8s.io/v1 NetworkPolicy: which traffic the selected pods accept (ingress) and send
 * (egress). Defaults as upstream (port protocol TCP; policyTypes Ingress, plus Egress when egress
 * rules exist); validation as ValidateNetworkPolicySpec. Nothing in k8ts enforces NetworkPolicies:
 * as upstream, that is the network plugin's job.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { IntOrStringSchema, kubeObject, LabelSelectorSchema } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { goStringSlice } from '../../validation/common-rules.ts';
import { child, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateCIDR } from '../../validation/ip.ts';
import { validateLabelSelector } from '../../validation/label-selector.ts';
import { isValidPortName, isValidPortNum } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { cidrStrictlyContains } from './cidr.ts';

const PortSchema = z.object({ protocol: z.string().optional(), port: IntOrStringSchema.optional(), endPort: z.number().int().optional() });
const PeerSchema = z.object({
  podSelector: LabelSelectorSchema.optional(),
  namespaceSelector: LabelSelectorSchema.optional(),
  ipBlock: z.object({ cidr: z.string().default(''), except: z.array(z.string()).optional() }).optional(),
});

export const NetworkPolicySchema = kubeObject({
  spec: z.object({
    podSelector: LabelSelectorSchema.optional(),
    ingress: z.array(z.object({ ports: z.array(PortSchema).optional(), from: z.array(PeerSchema).optional() })).optional(),
    egress: z.array(z.object({ ports: z.array(PortSchema).optional(), to: z.array(PeerSchema).optional() })).optional(),
    policyTypes: z.array(z.string()).optional(),
  }).optional(),
});
export type NetworkPolicy = z.infer<typeof NetworkPolicySchema>;
type Port = z.infer<typeof PortSchema>;
type Peer = z.infer<typeof PeerSchema>;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

/** networking/v1 SetDefaults_NetworkPolicy / SetDefaults_NetworkPolicyPort. */
export function applyNetworkPolicyDefaults(np: NetworkPolicy): void {
  const spec = (np.spec ??= {});
  spec.podSelector ??= {};
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Upstream ValidateNetworkPolicyPort. */
function validatePort(port: Port, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(port.protocol)) errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  const endPath = child(path, 'endPort');
  if (port.port === undefined) {
    if (port.endPort !== undefined) errs.push(invalidValue(endPath, port.endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    for (const msg of isValidPortNum(port.port)) errs.push(invalidValue(child(path, 'port'), port.port, msg));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.push(invalidValue(endPath, port.port, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(port.endPort)) errs.push(invalidValue(endPath, port.endPort, msg));
    }
  } else {
    if (port.endPort !== undefined) errs.push(invalidValue(endPath, port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) errs.push(invalidValue(child(path, 'port'), port.port, msg));
  }
  return errs;
}

/** Upstream ValidateIPBlock. */
function validateIpBlock(block: NonNullable<Peer['ipBlock']>, path: string): FieldError[] {
  if (!block.cidr) return [required(child(path, 'cidr'))];
  const errs = validateCIDR(child(path, 'cidr'), block.cidr);
  if (errs.length) return errs;
  (block.except ?? []).forEach((except, i) => {
    const exceptPath = index(child(path, 'except'), i);
    const bad = validateCIDR(exceptPath, except);
    if (bad.length) errs.push(...bad);
    else if (!cidrStrictlyContains(block.cidr, except)) errs.push(invalidValue(exceptPath, except, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

/** Upstream ValidateNetworkPolicyPeer: exactly one kind of peer, or pod + namespace selectors. */
function validatePeer(peer: Peer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIpBlock(peer.ipBlock, child(path, 'ipBlock')));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateRules(rules: Array<{ ports?: Port[]; from?: Peer[]; to?: Peer[] }> | undefined, name: 'ingress' | 'egress'): FieldError[] {
  const errs: FieldError[] = [];
  const peersField = name === 'ingress' ? 'from' : 'to';
  (rules ?? []).forEach((rule, i) => {
    const path = index(`spec.${name}`, i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, index(child(path, 'ports'), j))));
    (rule[peersField] ?? []).forEach((p, j) => errs.push(...validatePeer(p, index(child(path, peersField), j))));
  });
  return errs;
}

/** Upstream ValidateNetworkPolicy / ValidateNetworkPolicyUpdate. */
export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const errs = validateObjectMeta(np.metadata, { namespaced: true });
  const spec = np.spec ?? {};
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  errs.push(...validateRules(spec.ingress, 'ingress'));
  errs.push(...validateRules(spec.egress, 'egress'));
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.policyTypes', detail: `Invalid value: ${goStringSlice(types).replace('[]string', '[]networking.PolicyType')}: may not specify more than two policyTypes` });
    return errs;
  }
  types.forEach((t, i) => {
    if (!(POLICY_TYPES as readonly string[]).includes(t)) errs.push(notSupported(index('spec.policyTypes', i), t, POLICY_TYPES));
  });
  return errs;
}

export const networkPolicyResource = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  schema: NetworkPolicySchema,
  applyDefaults: applyNetworkPolicyDefaults,
  validate: validateNetworkPolicy,
});
