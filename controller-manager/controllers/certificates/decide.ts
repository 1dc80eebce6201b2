/**
 * Decisions of the CSR controllers, pure: which requests `csrapproving` approves (kubelet client
 * certificates as upstream's sarapprove recognizers; kubelet serving certificates as k8ts
 * decides, see the README), whether `csrsigning` signs one, and with what.
 */
import type { CertificateSigningRequest, CsrCondition } from '../../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER, KUBELET_SERVING_SIGNER } from '../../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { ParsedCertificateRequest } from '../../../pkg/certificates/csr.ts';
import { BOOTSTRAPPERS_GROUP } from '../../../pkg/bootstrap/token.ts';

type Csr = DeepReadonly<CertificateSigningRequest>;

const NODES_GROUP = 'system:nodes';
const NODE_PREFIX = 'system:node:';

function hasCondition(csr: Csr, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type);
}

/** Approved or Denied already (upstream `IsCertificateRequestApproved` / denied). Pure. */
export function isDecided(csr: Csr): boolean {
  return hasCondition(csr, 'Approved') || hasCondition(csr, 'Denied');
}

function usagesWithin(usages: readonly string[] | undefined, allowed: readonly string[], required: string): boolean {
  const list = usages ?? [];
  return list.includes(required) && list.every((u) => allowed.includes(u));
}

/** Upstream `ValidateKubeletClientCSR` problems (empty = a kubelet client request). Pure. */
export function kubeletClientProblems(req: ParsedCertificateRequest, usages: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (req.organizations.length !== 1 || req.organizations[0] !== NODES_GROUP) out.push('subject organization is not system:nodes');
  if (!req.commonName.startsWith(NODE_PREFIX)) out.push('subject common name does not begin with system:node:');
  if (req.dnsNames.length) out.push('DNS subjectAltNames are not allowed');
  if (req.emailAddresses.length) out.push('Email subjectAltNames are not allowed');
  if (req.ipAddresses.length) out.push('IP subjectAltNames are not allowed');
  if (req.uris.length) out.push('URI subjectAltNames are not allowed');
  if (!usagesWithin(usages, ['key encipherment', 'digital signature', 'client auth'], 'client auth')) out.push(`usages did not match [digital signature key encipherment client auth]`);
  return out;
}

/** k8ts's check of a kubelet serving request (upstream `ValidateKubeletServingCSR` shape). Pure. */
export function kubeletServingProblems(req: ParsedCertificateRequest, usages: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (req.organizations.length !== 1 || req.organizations[0] !== NODES_GROUP) out.push('subject organization is not system:nodes');
  if (!req.commonName.startsWith(NODE_PREFIX)) out.push('subject common name does not begin with system:node:');
  if (!req.dnsNames.length && !req.ipAddresses.length) out.push('DNS or IP subjectAltName is required');
  if (req.emailAddresses.length) out.push('Email subjectAltNames are not allowed');
  if (req.uris.length) out.push('URI subjectAltNames are not allowed');
  if (!usagesWithin(usages, ['key encipherment', 'digital signature', 'server auth'], 'server auth')) out.push('usages did not match [digital signature key encipherment server auth]');
  return out;
}

/** An approval to write, or why the approver leaves the request alone. */
export type ApprovalDecision = { approve: true; condition: CsrCondition } | { approve: false; why: string };

const approved = (message: string): ApprovalDecision => ({ approve: true, condition: { type: 'Approved', status: 'True', reason: 'AutoApproved', message } });

/**
 * `csrapproving`: a kubelet client request from its own node (`selfnodeclient`) or from a
 * bootstrap token (`nodeclient`), and — k8ts's choice — a kubelet serving request from the node
 * it names. Upstream asks a SubjectAccessReview whether the requester may create
 * `certificatesigningrequests/nodeclient` (or `selfnodeclient`); k8ts's built-in policy grants
 * those to `system:bootstrappers` and `system:nodes`, so the check is made here from the
 * requester's groups. Pure.
 */
export function decideApproval(csr: Csr, req: ParsedCertificateRequest): ApprovalDecision {
  if (isDecided(csr)) return { approve: false, why: 'already approved or denied' };
  const spec = csr.spec ?? {};
  const groups = spec.groups ?? [];
  if (spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER) {
    const problems = kubeletClientProblems(req, spec.usages);
    if (problems.length) return { approve: false, why: problems.join('; ') };
    if (spec.username === req.commonName && groups.includes(NODES_GROUP)) return approved('Auto approving self kubelet client certificate after SubjectAccessReview.');
    if (groups.includes(BOOTSTRAPPERS_GROUP)) return approved('Auto approving kubelet client certificate after SubjectAccessReview.');
    return { approve: false, why: `requester ${spec.username ?? ''} may not request kubelet client certificates` };
  }
  if (spec.signerName === KUBELET_SERVING_SIGNER) {
    const problems = kubeletServingProblems(req, spec.usages);
    if (problems.length) return { approve: false, why: problems.join('; ') };
    if (spec.username === req.commonName && groups.includes(NODES_GROUP)) return approved('Auto approving kubelet serving certificate requested by the node it names.');
    return { approve: false, why: `kubelet serving certificates are approved only when requested by the node itself, not ${spec.username ?? ''}` };
  }
  return { approve: false, why: `signer ${spec.signerName ?? ''} is not auto-approved` };
}

/** What the signer does with one request. */
export type SigningDecision =
  | { sign: true; usage: 'client' | 'server'; durationSeconds: number }
  | { sign: false; why: string }
  | { sign: false; fail: CsrCondition };

/** Signers `csrsigning` serves with the cluster CA. */
export const CLUSTER_SIGNERS = [KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBELET_SERVING_SIGNER, KUBE_APISERVER_CLIENT_SIGNER] as const;

const MIN_DURATION_SECONDS = 600;

/**
 * `csrsigning`: sign approved, undenied, not yet issued requests of the cluster signers whose
 * content the signer accepts; a request the signer refuses gets a `Failed` condition
 * (`SignerValidationFailure`). The duration is the requested one capped by
 * `--cluster-signing-duration` (at least 10 minutes). Pure.
 */
export function decideSigning(csr: Csr, req: ParsedCertificateRequest | Error, maxDurationSeconds: number): SigningDecision {
  const spec = csr.spec ?? {};
  if (!(CLUSTER_SIGNERS as readonly string[]).includes(spec.signerName ?? '')) return { sign: false, why: 'not a signer of this controller' };
  if (!hasCondition(csr, 'Approved') || hasCondition(csr, 'Denied') || hasCondition(csr, 'Failed')) return { sign: false, why: 'not approved, or denied or failed' };
  if (csr.status?.certificate) return { sign: false, why: 'already issued' };
  const fail = (message: string): SigningDecision => ({ sign: false, fail: { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message } });
  if (req instanceof Error) return fail(`unable to parse csr: ${req.message}`);
  let usage: 'client' | 'server';
  if (spec.signerName === KUBELET_SERVING_SIGNER) {
    const problems = kubeletServingProblems(req, spec.usages);
    if (problems.length) return fail(`invalid usage for kubelet serving certificate: ${problems.join('; ')}`);
    usage = 'server';
  } else if (spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER) {
    const problems = kubeletClientProblems(req, spec.usages);
    if (problems.length) return fail(`invalid usage for kubelet client certificate: ${problems.join('; ')}`);
    usage = 'client';
  } else {
    if (!usagesWithin(spec.usages, ['key encipherment', 'digital signature', 'client auth'], 'client auth')) return fail('invalid usage for client certificate: usages must be client auth with digital signature or key encipherment');
    usage = 'client';
  }
  const requested = spec.expirationSeconds;
  const durationSeconds = Math.max(MIN_DURATION_SECONDS, requested === undefined ? maxDurationSeconds : Math.min(requested, maxDurationSeconds));
  return { sign: true, usage, durationSeconds };
}
