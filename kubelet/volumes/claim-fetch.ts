/**
 * Reads, for each claim volume of a pod, its PersistentVolumeClaim and (once the claim names
 * one) its PersistentVolume from the API server, as upstream's populator does on every pass.
 * Errors are kept as their messages for {@link claimVolumePlan} to report.
 */
import type { PersistentVolume } from '../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES, type Client } from '../../pkg/client/index.ts';
import { claimRefOf, type ClaimFetch } from './claims.ts';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Pod volume name → what was read for its claim (empty map when the pod has no claim volumes). */
export async function fetchClaimVolumes(client: Client, pod: Pod): Promise<Map<string, ClaimFetch>> {
  const out = new Map<string, ClaimFetch>();
  if (!(pod.spec?.volumes ?? []).some((v) => claimRefOf(pod, v))) return out;
  const claims = client.resource<PersistentVolumeClaim>(BUILTIN_COORDINATES.persistentVolumeClaims).inNamespace(pod.metadata.namespace ?? 'default');
  const volumes = client.resource<PersistentVolume>(BUILTIN_COORDINATES.persistentVolumes);
  await Promise.all(
    (pod.spec?.volumes ?? []).map(async (v) => {
      const ref = claimRefOf(pod, v);
      if (!ref) return;
      const fetched: ClaimFetch = {};
      out.set(v.name, fetched);
      try {
        fetched.claim = await claims.get(ref.claimName);
      } catch (err) {
        fetched.claimError = message(err);
        return;
      }
      const pvName = fetched.claim.spec?.volumeName;
      if (!pvName || fetched.claim.status?.phase !== 'Bound') return;
      try {
        fetched.volume = await volumes.get(pvName);
      } catch (err) {
        fetched.volumeError = message(err);
      }
    }),
  );
  return out;
}
