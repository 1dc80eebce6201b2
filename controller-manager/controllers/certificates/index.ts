/**
 * The certificate controllers of kube-controller-manager:
 * - `csrapproving` approves what {@link decideApproval} accepts (condition `Approved`, reason
 *   `AutoApproved`, through `/approval`);
 * - `csrsigning` issues certificates for what {@link decideSigning} accepts with the CA of
 *   `--cluster-signing-cert-file` / `--cluster-signing-key-file` (not started without them), or
 *   marks the request `Failed`.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { CertificateSigningRequest, CsrCondition } from '../../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { parseCertificateRequestPem, type ParsedCertificateRequest } from '../../../pkg/certificates/csr.ts';
import { BUILTIN_COORDINATES as C, type ResourceClient } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type Manager } from '../../../pkg/runtime/index.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { ControllerDescriptor } from '../types.ts';
import { decideApproval, decideSigning } from './decide.ts';
import { certificateValidity, signWithCa } from './sign.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

type Csr = DeepReadonly<CertificateSigningRequest>;

function parse(csr: Csr): ParsedCertificateRequest | Error {
  try {
    return parseCertificateRequestPem(Buffer.from(csr.spec?.request ?? '', 'base64'));
  } catch (err) {
    return err as Error;
  }
}

const ignoreGoneOrStale = (err: unknown) => (isNotFound(err) || isConflict(err) ? undefined : Promise.reject(err));

/** A copy of `csr` with `condition` appended, stamped `now`. Pure. */
function withCondition(csr: Csr, condition: CsrCondition, now: string): CertificateSigningRequest {
  const next = copyJson(csr) as CertificateSigningRequest;
  next.status = { ...(next.status ?? {}), conditions: [...(next.status?.conditions ?? []), { ...condition, lastUpdateTime: now, lastTransitionTime: now }] };
  return next;
}

/** Registers a controller over CSRs; `handle` gets each cached request with its parsed content. */
function registerCsrController(manager: Manager, name: string, handle: (csr: Csr, parsed: ParsedCertificateRequest | Error, client: ResourceClient<CertificateSigningRequest>) => Promise<void>): void {
  const csrs = manager.lister<CertificateSigningRequest>(C.certificateSigningRequests);
  const client = manager.client.resource<CertificateSigningRequest>(C.certificateSigningRequests);
  newControllerBuilder(manager, name)
    .for<CertificateSigningRequest>(C.certificateSigningRequests)
    .complete({
      async reconcile(req) {
        const csr = csrs.get(req.name);
        if (csr) await handle(csr, parse(csr), client);
      },
    });
}

export const csrApprovingController: ControllerDescriptor = {
  name: 'csrapproving',
  enabledByDefault: true,
  register({ manager }) {
    registerCsrController(manager, 'csrapproving', async (csr, parsed, client) => {
      if (parsed instanceof Error) return;
      const decision = decideApproval(csr, parsed);
      if (!decision.approve) return;
      const next = withCondition(csr, decision.condition, rfc3339(manager.clock.now()));
      await client.subresource(csr.metadata.name as string, 'approval', { method: 'PUT', body: next }).catch(ignoreGoneOrStale);
    });
  },
};

export const csrSigningController: ControllerDescriptor = {
  name: 'csrsigning',
  enabledByDefault: true,
  register({ manager, settings }) {
    const log = manager.log.child({ controller: 'csrsigning' });
    const caCertFile = settings.clusterSigningCertFile;
    const caKeyFile = settings.clusterSigningKeyFile;
    if (!caCertFile || !caKeyFile) {
      log.info('skipping csrsigning: --cluster-signing-cert-file and --cluster-signing-key-file are not set');
      return;
    }
    const caPem = readFileSync(caCertFile, 'utf8');
    const caNotAfterMs = Date.parse(new X509Certificate(caPem).validTo);
    registerCsrController(manager, 'csrsigning', async (csr, parsed, client) => {
      const decision = decideSigning(csr, parsed, Math.floor(settings.clusterSigningDurationMs / 1000));
      if (!decision.sign && 'why' in decision) return;
      const now = rfc3339(manager.clock.now());
      let next: CertificateSigningRequest;
      if (!decision.sign) {
        next = withCondition(csr, decision.fail, now);
      } else {
        const requestPem = Buffer.from(csr.spec?.request ?? '', 'base64').toString('utf8');
        const validity = certificateValidity(manager.clock.now(), decision.durationSeconds, caNotAfterMs);
        const cert = await signWithCa({ requestPem, parsed: parsed as ParsedCertificateRequest, usage: decision.usage, ...validity, caCertFile, caKeyFile }).catch((err: Error) => err);
        if (cert instanceof Error) {
          next = withCondition(csr, { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: `signing failed: ${cert.message.split('\n')[0]}` }, now);
        } else {
          // Upstream returns the issued certificate followed by the CA, as the client chain.
          next = copyJson(csr) as CertificateSigningRequest;
          next.status = { ...(next.status ?? {}), certificate: Buffer.from(`${cert.trim()}\n${caPem.trim()}\n`).toString('base64') };
          log.info({ csr: csr.metadata.name, signer: csr.spec?.signerName }, 'signed certificate');
        }
      }
      await client.updateStatus(next).catch(ignoreGoneOrStale);
    });
  },
};
