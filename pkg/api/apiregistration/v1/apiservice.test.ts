import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { apiServicePrinter, availableCell } from '../../printers/apiservice.ts';
import { apiServiceResource as info } from './apiservice.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n').toString('base64');

function svc(name: string, spec: Record<string, unknown>, status?: Record<string, unknown>) {
  const s = info.schema.parse({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec, ...(status ? { status } : {}) });
  info.applyDefaults(s);
  return s;
}
const remote = { service: { namespace: 'kube-system', name: 'metrics-server' }, group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100 };

describe('APIService', () => {
  it('defaults the service port to 443 and leaves local ones alone', () => {
    expect(svc('v1beta1.metrics.k8s.io', remote).spec?.service?.port).toBe(443);
    expect(svc('v1.apps', { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 }).spec?.service).toBeUndefined();
  });

  it('create drops a status sent by the client', () => {
    const s = svc('v1beta1.metrics.k8s.io', remote, { conditions: [{ type: 'Available', status: 'True' }] });
    info.prepareForCreate?.(s);
    expect(s.status).toBeUndefined();
  });

  it.each<[string, string, Record<string, unknown>, string[]]>([
    ['a valid remote one', 'v1beta1.metrics.k8s.io', remote, []],
    ['the legacy core group', 'v1.', { group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 }, []],
    ['name not version.group', 'metrics', remote, ['metadata.name: Invalid value: "metrics": must be `spec.version+"."+spec.group`']],
    ['name with a slash', 'v1/x', remote, ["metadata.name: Invalid value: \"v1/x\": may not contain '/'"]],
    ['empty group with another version', 'v2.', { group: '', version: 'v2', groupPriorityMinimum: 1, versionPriority: 1 }, ['spec.group: Required value: only v1 may have an empty group and it better be legacy kube']],
    ['bad group', 'v1.Bad_Group', { ...remote, group: 'Bad_Group', version: 'v1' }, ["spec.group: Invalid value: \"Bad_Group\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ['bad version', '1v.metrics.k8s.io', { ...remote, version: '1v' }, ["spec.version: Invalid value: \"1v\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
    ['priorities out of range', 'v1beta1.metrics.k8s.io', { ...remote, groupPriorityMinimum: 0, versionPriority: 1001 }, ['spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000', 'spec.versionPriority: Invalid value: 1001: must be positive and less than 1000']],
    ['group priority too high', 'v1beta1.metrics.k8s.io', { ...remote, groupPriorityMinimum: 20001 }, ['spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000']],
    ['caBundle and insecureSkipTLSVerify', 'v1beta1.metrics.k8s.io', { ...remote, caBundle: CA, insecureSkipTLSVerify: true }, ['spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present']],
    ['local with caBundle and insecure', 'v1.apps', { group: 'apps', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1, caBundle: CA, insecureSkipTLSVerify: true }, [`spec.caBundle: Invalid value: "${Buffer.from(CA, 'base64').length} bytes": local APIServices may not have a caBundle`, 'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify']],
    ['service without names', 'v1beta1.metrics.k8s.io', { ...remote, service: { port: 70000 } }, ['spec.service.namespace: Required value', 'spec.service.name: Required value', 'spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive']],
  ])('%s', (_name, name, spec, expected) => {
    expect(lines(info.validate(svc(name, spec)))).toEqual(expected);
  });

  it('condition statuses are True, False or Unknown', () => {
    expect(lines(info.validate(svc('v1beta1.metrics.k8s.io', remote, { conditions: [{ type: 'Available', status: 'Maybe' }] })))).toEqual([
      'status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"',
    ]);
  });
});

describe('APIService printer', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const created = '2026-01-01T00:00:00Z';
  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, unknown[]]>([
    ['local', { group: 'apps', version: 'v1' }, { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] }, ['v1.apps', 'Local', 'True', '10m']],
    ['remote not found', remote, { conditions: [{ type: 'Available', status: 'False', reason: 'ServiceNotFound' }] }, ['v1.apps', 'kube-system/metrics-server', 'False (ServiceNotFound)', '10m']],
    ['no status yet', remote, undefined, ['v1.apps', 'kube-system/metrics-server', 'Unknown', '10m']],
  ])('%s', (_name, spec, status, cells) => {
    const obj = { metadata: { name: 'v1.apps', creationTimestamp: created }, spec, ...(status ? { status } : {}) };
    expect(apiServicePrinter.row(obj, now)).toEqual(cells);
    expect(apiServicePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Service', 'Available', 'Age']);
  });
  it('an Unknown condition shows its reason', () => {
    expect(availableCell([{ type: 'Available', status: 'Unknown', reason: 'NoStatus' }])).toBe('Unknown (NoStatus)');
  });
});
