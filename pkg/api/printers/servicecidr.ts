/**
 * ServiceCIDR and IPAddress printers (upstream printServiceCIDR: Name, CIDRs, Age; printIPAddress:
 * Name, ParentRef as `resource[.group][/namespace]/name`, `<none>` without one).
 */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, get, isObject, str } from './format.ts';
import type { Printer } from './printer.ts';

const CIDRS_DOC = 'CIDRs defines the IP blocks in CIDR notation (e.g. "192.168.0.0/24" or "2001:db8::/64") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable.';
const PARENT_REF_DOC = 'ParentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object.';

export const serviceCIDRPrinter: Printer = {
  columns: [nameColumn, col('CIDRs', 'string', 0, CIDRS_DOC), ageColumn],
  row(sc, now) {
    const cidrs = get(sc.spec, 'cidrs');
    return [sc.metadata.name ?? '', Array.isArray(cidrs) ? cidrs.map(str).join(',') : '', age(sc, now)];
  },
};

/** Upstream's GroupResource text, lower-cased: `services`, `gateways.example.io`. */
export function formatParentRef(ref: unknown): string {
  if (!isObject(ref)) return '<none>';
  const group = str(ref.group);
  let out = (group ? `${str(ref.resource)}.${group}` : str(ref.resource)).toLowerCase();
  if (str(ref.namespace)) out += `/${str(ref.namespace)}`;
  return `${out}/${str(ref.name)}`;
}

export const ipAddressPrinter: Printer = {
  columns: [nameColumn, col('ParentRef', 'string', 0, PARENT_REF_DOC)],
  row(ip) {
    return [ip.metadata.name ?? '', formatParentRef(get(ip.spec, 'parentRef'))];
  },
};
