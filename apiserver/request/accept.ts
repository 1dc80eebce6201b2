/**
 * Response format negotiation from the `Accept` header (upstream `negotiation`): plain JSON or
 * YAML, `as=Table` (meta.k8s.io v1/v1beta1) and `as=PartialObjectMetadata[List]`. Nothing
 * acceptable → 406.
 */
import { notAcceptable } from '../../pkg/errors/index.ts';

export type ResponseFormat =
  | { kind: 'object'; media: 'application/json' | 'application/yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1'; list: boolean };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [type, ...rawParams] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rawParams) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), params };
    });
}

function isJsonish(type: string): boolean {
  return type === 'application/json' || type === '*/*' || type === 'application/*';
}

/**
 * Picks the first acceptable format. `transforms` says whether Table/partial conversions are
 * possible for this request (e.g. not for a custom resource's `scale`).
 */
export function negotiateFormat(accept: string | undefined, transforms = true): ResponseFormat {
  if (!accept || accept.trim() === '') return { kind: 'object', media: 'application/json' };
  for (const range of parseAccept(accept)) {
    const as = range.params.as;
    if (as) {
      if (!transforms || !isJsonish(range.type)) continue;
      const group = range.params.g;
      const version = range.params.v;
      if (group !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) continue;
      if (as === 'Table') return { kind: 'table', version };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
        return { kind: 'partial', version, list: as === 'PartialObjectMetadataList' };
      }
      continue;
    }
    if (isJsonish(range.type)) return { kind: 'object', media: 'application/json' };
    if (range.type === 'application/yaml') return { kind: 'object', media: 'application/yaml' };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
}
