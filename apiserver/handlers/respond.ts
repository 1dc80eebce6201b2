/**
 * Writing a handler's result in the negotiated format: JSON/YAML, Table, PartialObjectMetadata.
 */
import type { FastifyReply } from 'fastify';
import { stringify as toYaml } from 'yaml';
import type { KubeList, KubeObject } from '../../pkg/api/meta.ts';
import type { ResponseFormat } from '../request/accept.ts';
import { warningHeader } from '../request/field-validation.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { partialObjectMetadata } from './table.ts';
import type { ReadOptions } from '../request/options.ts';
import { notAcceptable } from '../../pkg/errors/index.ts';

/** Converts a served object or list to the requested representation. */
export function transformBody(ctx: ServerContext, scope: RequestScope, result: HandlerResult, format: ResponseFormat, includeObject: ReadOptions['includeObject']): unknown {
  if (format.kind === 'object' || result.transformable === false) return result.body;
  const body = result.body as KubeObject | KubeList;
  const isList = result.list === true;
  if (format.kind === 'table') {
    const objects = isList ? (body as KubeList).items : [body as KubeObject];
    const info = result.tableKind ? { ...scope.info, ...result.tableKind } : scope.info;
    const table = ctx.toTable({ info, objects, includeObject, now: ctx.clock.now(), listMeta: isList ? (body as KubeList).metadata : undefined });
    return { ...table, apiVersion: `meta.k8s.io/${format.version}` };
  }
  if (isList) {
    if (!format.list) throw notAcceptable('only the following media types are accepted: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    const list = body as KubeList;
    return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${format.version}`, metadata: list.metadata, items: list.items.map((o) => partialObjectMetadata(o, format.version)) };
  }
  if (format.list) throw notAcceptable('only the following media types are accepted: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
  return partialObjectMetadata(body as KubeObject, format.version);
}

/** Writes a body with its status code, content type and `Warning` headers. */
export function send(reply: FastifyReply, code: number, body: unknown, format: ResponseFormat, warnings: string[] = []): FastifyReply {
  if (warnings.length) reply.header('Warning', warnings.map(warningHeader));
  if (format.kind === 'object' && format.media === 'application/yaml') {
    return reply.code(code).header('content-type', 'application/yaml').send(Buffer.from(toYaml(body)));
  }
  return reply.code(code).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(body)));
}
