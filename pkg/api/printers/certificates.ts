/** Printer for certificates.k8s.io CertificateSigningRequest (upstream `printCertificateSigningRequest`). */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, humanDuration, str } from './format.ts';
import type { Printer } from './printer.ts';

/** Upstream `extractCSRStatus`: Denied over Approved over Pending, then `,Failed` and `,Issued`. Pure. */
export function csrCondition(csr: Record<string, unknown>): string {
  const types = new Set(arr(get(csr, 'status', 'conditions')).map((c) => c.type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (str(get(csr, 'status', 'certificate'))) out += ',Issued';
  return out;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    col('SignerName', 'string', 0, 'signerName indicates the requested signer, and is a qualified name.'),
    col('Requestor', 'string', 0, 'username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.'),
    col('RequestedDuration', 'string', 0, 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    col('Condition', 'string', 0, 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  row(csr, now) {
    const seconds = get(csr, 'spec', 'expirationSeconds');
    return [csr.metadata.name ?? '', age(csr, now), str(get(csr, 'spec', 'signerName')), str(get(csr, 'spec', 'username')), typeof seconds === 'number' ? humanDuration(seconds * 1000) : '<none>', csrCondition(csr)];
  },
};
