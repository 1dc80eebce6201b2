/**
 * Watch event lines in the negotiated format: the object, a one-row Table, or
 * PartialObjectMetadata. Bookmarks carry only kind/apiVersion and metadata.resourceVersion.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import type { Status } from '../../pkg/errors/index.ts';
import type { ResponseFormat } from '../request/accept.ts';
import type { ReadOptions } from '../request/options.ts';
import type { RequestScope, ServerContext } from '../handlers/context.ts';
import { partialObjectMetadata } from '../handlers/table.ts';

export class WatchEncoder {
  constructor(
    private readonly ctx: ServerContext,
    private readonly scope: RequestScope,
    private readonly format: ResponseFormat,
    private readonly includeObject: ReadOptions['includeObject'],
  ) {}

  private transform(obj: KubeObject): unknown {
    if (this.format.kind === 'table') {
      const table = this.ctx.toTable({ info: this.scope.info, objects: [obj], includeObject: this.includeObject, now: this.ctx.clock.now() });
      return { ...table, apiVersion: `meta.k8s.io/${this.format.version}`, metadata: { resourceVersion: obj.metadata.resourceVersion } };
    }
    if (this.format.kind === 'partial') return partialObjectMetadata(obj, this.format.version);
    return obj;
  }

  event(type: string, obj: KubeObject): string {
    return `${JSON.stringify({ type, object: this.transform(obj) })}\n`;
  }

  bookmark(revision: number, annotations?: Record<string, string>): string {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (annotations) metadata.annotations = annotations;
    let object: unknown;
    if (this.format.kind === 'table') object = { kind: 'Table', apiVersion: `meta.k8s.io/${this.format.version}`, metadata: { resourceVersion: String(revision) }, columnDefinitions: null, rows: null };
    else if (this.format.kind === 'partial') object = { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${this.format.version}`, metadata };
    else object = { kind: this.scope.info.kind, apiVersion: groupVersion(this.scope.info), metadata };
    return `${JSON.stringify({ type: 'BOOKMARK', object })}\n`;
  }

  error(status: Status): string {
    return `${JSON.stringify({ type: 'ERROR', object: status })}\n`;
  }
}
