/**
 * ResourceQuota printer (upstream printResourceQuota): `NAME AGE REQUEST LIMIT`, where every
 * resource of `status.hard`, sorted by name, is printed as `name: used/hard`; `limits.*` go to
 * LIMIT and everything else to REQUEST (`requests.cpu: 0/1, requests.memory: 0/1Gi`).
 */
import { canonicalQuantity } from '../quantity.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, get, isObject } from './format.ts';
import type { Printer } from './printer.ts';

function quantity(list: unknown, name: string): string {
  const value = isObject(list) ? list[name] : undefined;
  return typeof value === 'string' || typeof value === 'number' ? canonicalQuantity(value) : '0';
}

/** The REQUEST and LIMIT cells of a quota's status. Pure. */
export function quotaColumns(status: unknown): [string, string] {
  const hard = get(status, 'hard');
  const used = get(status, 'used');
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(isObject(hard) ? hard : {}).sort()) {
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(`${name}: ${quantity(used, name)}/${quantity(hard, name)}`);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    col('Request', 'string', 0, 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 0, 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  row(quota, now) {
    const [request, limit] = quotaColumns(get(quota, 'status'));
    return [quota.metadata.name ?? '', age(quota, now), request, limit];
  },
};
