/**
 * certificates.k8s.io/v1 CertificateSigningRequest (cluster-scoped): a PKCS#10 request for a
 * signer. The server records the requester in `spec.username/uid/groups/extra`; the spec is
 * immutable; `/approval` changes only the Approved/Denied conditions, `/status` only the other
 * conditions and the issued certificate. Messages as upstream's certificates validation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { parseCertificateRequestPem } from '../../../certificates/csr.ts';
import { pemBlocks } from '../../../certificates/der.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { duplicate, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { copyJson } from '../../../util/json-copy.ts';

/** Upstream's KeyUsage values, in their declaration order. */
export const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only',
  'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
] as const;

/** Well-known signers (upstream `certificates.k8s.io/v1` constants). */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

export const CsrConditionSchema = z.object({
  type: z.string(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastUpdateTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
});
export type CsrCondition = z.infer<typeof CsrConditionSchema>;

export const CertificateSigningRequestSchema = kubeObject({
  spec: z
    .object({
      /** PEM, base64-encoded on the wire. */
      request: z.string().optional(),
      signerName: z.string().optional(),
      expirationSeconds: z.number().int().optional(),
      usages: z.array(z.string()).optional(),
      username: z.string().optional(),
      uid: z.string().optional(),
      groups: z.array(z.string()).optional(),
      extra: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
  status: z
    .object({
      conditions: z.array(CsrConditionSchema).optional(),
      /** PEM certificates, base64-encoded on the wire. */
      certificate: z.string().optional(),
    })
    .optional(),
});
export type CertificateSigningRequest = z.infer<typeof CertificateSigningRequestSchema>;

const APPROVAL_TYPES = ['Approved', 'Denied'];

/** Upstream `ValidateSignerName` messages for a non-empty name. Pure. */
function signerNameProblems(name: string): string[] {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"];
  const domain = name.slice(0, slash);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain) || domain.length > 253) {
    return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"];
  }
  return [];
}

function validateConditions(conditions: readonly CsrCondition[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const path = index('status.conditions', i);
    if (!c.type) errs.push(required(`${path}.type`));
    else if (seen.has(c.type)) errs.push(duplicate(`${path}.type`, c.type));
    seen.add(c.type);
    if (APPROVAL_TYPES.includes(c.type) || c.type === 'Failed') {
      if (c.status !== 'True') errs.push(notSupported(`${path}.status`, c.status ?? '', ['True']));
    } else if (!['True', 'False', 'Unknown'].includes(c.status ?? '')) {
      errs.push(notSupported(`${path}.status`, c.status ?? '', ['False', 'True', 'Unknown']));
    }
  });
  if (seen.has('Approved') && seen.has('Denied')) errs.push(invalidValue('status.conditions', conditions, 'Approved and Denied conditions are mutually exclusive'));
  return errs;
}

function validateIssuedCertificate(csr: CertificateSigningRequest): FieldError[] {
  const cert = csr.status?.certificate;
  if (!cert) return [];
  const blocks = pemBlocks(Buffer.from(cert, 'base64').toString('utf8'));
  if (!blocks.length) return [invalidValue('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block')];
  if (blocks.some((b) => b.type !== 'CERTIFICATE')) return [invalidValue('status.certificate', '<certificate data>', 'only CERTIFICATE PEM blocks are allowed')];
  return [];
}

/** Upstream `ValidateCertificateSigningRequestCreate` (and the object part of every update). Pure. */
export function validateCertificateSigningRequest(csr: CertificateSigningRequest): FieldError[] {
  const errs = validateObjectMeta(csr.metadata, { namespaced: false, nameValidator: (n) => (n === '.' || n === '..' || /[/%]/.test(n) ? [`may not be '${n}' or contain '/' or '%'`] : []) });
  const spec = csr.spec ?? {};
  if (!spec.request) errs.push(required('spec.request'));
  else {
    try {
      parseCertificateRequestPem(Buffer.from(spec.request, 'base64'));
    } catch (err) {
      errs.push(invalidValue('spec.request', '<certificate request data>', (err as Error).message));
    }
  }
  if (!spec.usages?.length) errs.push(required('spec.usages', 'usages must be provided'));
  const seen = new Set<string>();
  (spec.usages ?? []).forEach((u, i) => {
    if (!(KEY_USAGES as readonly string[]).includes(u)) errs.push(notSupported(index('spec.usages', i), u, KEY_USAGES));
    else if (seen.has(u)) errs.push(duplicate(index('spec.usages', i), u));
    seen.add(u);
  });
  if (!spec.signerName) errs.push(required('spec.signerName'));
  else for (const msg of signerNameProblems(spec.signerName)) errs.push(invalidValue('spec.signerName', spec.signerName, msg));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < 600) {
    errs.push(invalidValue('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(csr.status?.conditions));
  errs.push(...validateIssuedCertificate(csr));
  return errs;
}

function approvalTypes(csr: CertificateSigningRequest): Set<string> {
  return new Set((csr.status?.conditions ?? []).map((c) => c.type).filter((t) => APPROVAL_TYPES.includes(t)));
}

/** Condition timestamps as upstream's `populateConditionTimestamps`: lastUpdateTime now when unset; lastTransitionTime kept while the status is unchanged. */
function stampConditions(next: CertificateSigningRequest, old: CertificateSigningRequest, now: string): void {
  for (const c of next.status?.conditions ?? []) {
    c.lastUpdateTime ||= now;
    if (!c.lastTransitionTime) {
      const before = old.status?.conditions?.find((o) => o.type === c.type);
      c.lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : c.lastUpdateTime;
    }
  }
}

const nowRfc3339 = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** `/approval`: only Approved/Denied conditions change, and an existing one may not be removed. Pure but for the clock. */
export function approvalUpdate(requested: CertificateSigningRequest, stored: CertificateSigningRequest): { object: CertificateSigningRequest; errors: FieldError[] } {
  const object = copyJson({ ...requested, spec: stored.spec, status: { ...(stored.status ?? {}), conditions: requested.status?.conditions } }) as CertificateSigningRequest;
  if (!object.status?.conditions) delete object.status?.conditions;
  stampConditions(object, stored, nowRfc3339());
  const errors: FieldError[] = [];
  const now = approvalTypes(object);
  for (const t of approvalTypes(stored)) if (!now.has(t)) errors.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  return { object, errors };
}

/** `/status`: spec kept; Approved/Denied may be neither added nor removed; an issued certificate may not change; a certificate needs approval. */
export function statusUpdate(requested: CertificateSigningRequest, stored: CertificateSigningRequest): { object: CertificateSigningRequest; errors: FieldError[] } {
  const object = copyJson({ ...stored, status: requested.status }) as CertificateSigningRequest;
  stampConditions(object, stored, nowRfc3339());
  const errors: FieldError[] = [];
  const before = approvalTypes(stored);
  const after = approvalTypes(object);
  for (const t of before) if (!after.has(t)) errors.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  for (const t of after) if (!before.has(t)) errors.push(forbidden('status.conditions', `updates may not add a condition of type "${t}"`));
  const oldCert = stored.status?.certificate;
  const newCert = object.status?.certificate;
  if (oldCert && newCert !== oldCert) errors.push(invalidValue('status.certificate', '<certificate data>', 'updates may not modify existing certificate content'));
  if (newCert && !oldCert && !after.has('Approved')) errors.push(invalidValue('status.certificate', '<certificate data>', 'certificate issued for a CSR that is not approved'));
  if (newCert && after.has('Denied')) errors.push(invalidValue('status.certificate', '<certificate data>', 'certificate issued for a CSR that is denied'));
  return { object, errors };
}

export const certificateSigningRequestResource = defineResource<CertificateSigningRequest>({
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  shortNames: ['csr'],
  namespaced: false,
  schema: CertificateSigningRequestSchema,
  subresources: { status: true },
  applyDefaults() {},
  validate: validateCertificateSigningRequest,
  prepareForCreate(csr, context) {
    const spec = (csr.spec ??= {});
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    if (context?.user) {
      spec.username = context.user.username;
      if (context.user.uid) spec.uid = context.user.uid;
      spec.groups = [...context.user.groups];
    }
    delete csr.status;
  },
  prepareForUpdate(csr, old) {
    csr.spec = old.spec;
    csr.status = old.status;
  },
  updateSubresources: { approval: approvalUpdate, status: statusUpdate },
});
