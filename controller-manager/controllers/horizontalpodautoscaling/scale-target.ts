/**
 * The autoscaler's view of its target: the `scale` subresource (autoscaling/v1 Scale) of
 * whatever `spec.scaleTargetRef` names, read and written through the API (upstream's scale
 * client with a REST mapper). The kinds are resolved from the built-in table; an unknown group
 * and kind fails as upstream's mapper does, and so does a target without `/scale`.
 */
import { z } from 'zod';
import { BUILTIN_COORDINATES, type Client, type ResourceCoordinates } from '../../../pkg/client/index.ts';

/** autoscaling/v1 Scale, validated at the boundary. */
export const ScaleSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.looseObject({ name: z.string().optional(), namespace: z.string().optional(), resourceVersion: z.string().optional() }),
  spec: z.looseObject({ replicas: z.number().int().optional() }).optional(),
  status: z.looseObject({ replicas: z.number().int().optional(), selector: z.string().optional() }).optional(),
});
export type Scale = z.infer<typeof ScaleSchema>;

/** `spec.scaleTargetRef`. */
export interface ScaleTargetRef {
  apiVersion?: string;
  kind: string;
  name: string;
}

/**
 * Reads and writes a target's scale. Contract: `get` resolves with the current Scale or rejects
 * (unknown kind, bad apiVersion, not found, no `/scale`) with an error whose message is what
 * upstream reports; `update` writes `spec.replicas` with the Scale's resourceVersion
 * (optimistic concurrency) and rejects on conflict or any other failure.
 */
export interface ScaleClient {
  get(namespace: string, ref: ScaleTargetRef, signal?: AbortSignal): Promise<Scale>;
  update(namespace: string, ref: ScaleTargetRef, scale: Scale, signal?: AbortSignal): Promise<Scale>;
}

/** The group of an `apiVersion`, as `schema.ParseGroupVersion` accepts it. */
export function groupOfApiVersion(apiVersion: string | undefined): string {
  const text = apiVersion ?? '';
  if (text === '' || text === 'v1') return '';
  const parts = text.split('/');
  if (parts.length === 1) return '';
  if (parts.length === 2) return parts[0]!;
  throw new Error(`unexpected GroupVersion string: ${text}`);
}

/** The resource behind a group and kind (built-in kinds only). */
export function coordinatesFor(group: string, kind: string, table: Readonly<Record<string, ResourceCoordinates>> = BUILTIN_COORDINATES): ResourceCoordinates {
  const found = Object.values(table).find((c) => c.group === group && c.kind === kind);
  if (!found) throw new Error(`no matches for kind "${kind}" in group "${group}"`);
  return found;
}

/** {@link ScaleClient} over the REST client. */
export class RestScaleClient implements ScaleClient {
  constructor(private readonly client: Pick<Client, 'resource'>) {}

  private target(namespace: string, ref: ScaleTargetRef) {
    const coords = coordinatesFor(groupOfApiVersion(ref.apiVersion), ref.kind);
    return this.client.resource(coords).inNamespace(namespace);
  }

  async get(namespace: string, ref: ScaleTargetRef, signal?: AbortSignal): Promise<Scale> {
    const body = await this.target(namespace, ref).subresource(ref.name, 'scale', { method: 'GET', signal });
    return ScaleSchema.parse(body);
  }

  async update(namespace: string, ref: ScaleTargetRef, scale: Scale, signal?: AbortSignal): Promise<Scale> {
    const body = await this.target(namespace, ref).subresource(ref.name, 'scale', { method: 'PUT', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale }, signal });
    return ScaleSchema.parse(body);
  }
}
