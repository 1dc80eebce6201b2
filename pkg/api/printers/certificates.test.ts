import { describe, expect, it } from 'vitest';
import { certificateSigningRequestPrinter, csrCondition } from './certificates.ts';

const csr = (types: string[], certificate?: string, expirationSeconds?: number) => ({
  metadata: { name: 'c', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { signerName: 'kubernetes.io/kubelet-serving', username: 'system:node:n1', expirationSeconds },
  status: { conditions: types.map((type) => ({ type, status: 'True' })), certificate },
});

describe('CertificateSigningRequest table', () => {
  it.each<[string[], string | undefined, string]>([
    [[], undefined, 'Pending'],
    [['Approved'], undefined, 'Approved'],
    [['Approved'], 'Y2VydA==', 'Approved,Issued'],
    [['Approved', 'Failed'], undefined, 'Approved,Failed'],
    [['Denied'], undefined, 'Denied'],
    [['Failed'], undefined, 'Pending,Failed'],
  ])('%j with certificate %s → %s', (types, certificate, expected) => {
    expect(csrCondition(csr(types, certificate))).toBe(expected);
  });

  it('prints upstream columns with the requested duration as a human duration', () => {
    expect(certificateSigningRequestPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    const now = new Date('2026-01-01T00:05:00Z');
    expect(certificateSigningRequestPrinter.row(csr([], undefined, 86_400), now)).toEqual(['c', '5m', 'kubernetes.io/kubelet-serving', 'system:node:n1', '24h', 'Pending']);
    expect(certificateSigningRequestPrinter.row(csr([]), now)[4]).toBe('<none>');
  });
});
