import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { FieldError } from '../../../errors/index.ts';
import { applyServiceDefaults, type Service, serviceResource } from './service.ts';

const SEEDS = '/work/shared/fixtures/seeds';

function servicesIn(file: string): unknown[] {
  return parseAllDocuments(readFileSync(`${SEEDS}/${file}`, 'utf8'))
    .map((d) => d.toJS() as { kind?: string })
    .filter((o) => o.kind === 'Service');
}

/** decode → prepareForCreate → defaults → (allocation stand-in) → defaults, as the server does. */
function create(raw: unknown, clusterIP = '10.96.0.17'): Service {
  const svc = serviceResource.schema.parse(raw);
  svc.metadata.namespace ??= 'default';
  serviceResource.prepareForCreate!(svc);
  serviceResource.applyDefaults(svc);
  if (svc.spec!.type !== 'ExternalName' && !svc.spec!.clusterIP) svc.spec!.clusterIP = clusterIP;
  serviceResource.applyDefaults(svc);
  return svc;
}

function lines(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.field}: ${e.detail}`);
}

function svc(spec: Record<string, unknown>, name = 'web'): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

describe('Service fixtures', () => {
  it.each([
    ['my-nginx-app.yaml', 'NodePort', [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 32143 }]],
    ['web-site-two-containers.yaml', 'NodePort', [
      { name: 'nginx-port', port: 80, targetPort: 80, protocol: 'TCP' },
      { name: 'helloecho-port', port: 88, targetPort: 5678, protocol: 'TCP' },
    ]],
    ['webapp-two-ports.yaml', 'ClusterIP', [
      { name: 'web', port: 8080, targetPort: 8080, protocol: 'TCP' },
      { name: 'management', port: 8005, targetPort: 8005, protocol: 'TCP' },
    ]],
    ['whoami.yaml', 'ClusterIP', [{ protocol: 'TCP', port: 80, targetPort: 8000 }]],
    ['flask-redis-nginx/flaskapp.yaml', 'ClusterIP', [{ port: 5000, protocol: 'TCP', targetPort: 5000 }]],
    ['flask-redis-nginx/nginx.yaml', 'NodePort', [{ port: 80, protocol: 'TCP', targetPort: 80 }]],
    ['flask-redis-nginx/redis.yaml', 'ClusterIP', [{ port: 6379, protocol: 'TCP', targetPort: 6379 }]],
  ])('%s decodes, defaults and validates', (file, type, ports) => {
    const [raw] = servicesIn(file);
    const out = create(raw);
    expect(out.spec?.type).toBe(type);
    expect(out.spec?.ports).toEqual(ports);
    expect(out.spec?.sessionAffinity).toBe('None');
    expect(out.spec?.internalTrafficPolicy).toBe('Cluster');
    expect(out.spec?.externalTrafficPolicy).toBe(type === 'NodePort' ? 'Cluster' : undefined);
    expect(out.spec?.clusterIPs).toEqual(['10.96.0.17']);
    expect(out.spec?.ipFamilies).toEqual(['IPv4']);
    expect(out.spec?.ipFamilyPolicy).toBe('SingleStack');
    expect(out.status).toEqual({ loadBalancer: {} });
    expect(serviceResource.validate(out)).toEqual([]);
  });

  it('invalid/service-underscore-name.yaml gives exactly the upstream DNS-1035 error', () => {
    const [raw] = servicesIn('invalid/service-underscore-name.yaml');
    expect(lines(serviceResource.validate(create(raw)))).toEqual([
      `metadata.name: Invalid value: "mariadb_service": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  it('strips unknown fields and rejects wrong types', () => {
    expect(serviceResource.schema.parse(svc({ ports: [{ port: 80, bogus: 1 }] }))).toEqual(svc({ ports: [{ port: 80 }] }));
    expect(serviceResource.schema.safeParse(svc({ ports: [{ port: '80' }] })).success).toBe(false);
  });
});

describe('Service defaulting', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['ClusterIP basics', { ports: [{ port: 80 }] }, { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }],
    ['ClientIP affinity timeout', { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }],
    ['None affinity drops config', { ports: [{ port: 80 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } }, { sessionAffinity: 'None' }],
    ['LoadBalancer', { type: 'LoadBalancer', ports: [{ port: 80 }] }, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true }],
    ['ClusterIP with externalIPs is externally accessible', { ports: [{ port: 80 }], externalIPs: ['192.0.2.1'] }, { externalTrafficPolicy: 'Cluster' }],
    ['targetPort name kept', { ports: [{ port: 80, targetPort: 'http' }] }, { ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] }],
    ['clusterIP copied to clusterIPs', { ports: [{ port: 80 }], clusterIP: '10.0.0.5' }, { clusterIPs: ['10.0.0.5'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }],
    ['IPv6 cluster IP family', { ports: [{ port: 80 }], clusterIP: 'fd00::5' }, { ipFamilies: ['IPv6'] }],
    ['headless', { ports: [{ port: 80 }], clusterIP: 'None' }, { clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }],
  ])('%s', (_name, spec, expected) => {
    const out = serviceResource.schema.parse(svc(spec));
    applyServiceDefaults(out);
    expect(out.spec).toMatchObject(expected);
    if (!('sessionAffinity' in spec) || spec.sessionAffinity === 'None') expect(out.spec?.sessionAffinityConfig).toBeUndefined();
  });

  it('ExternalName gets no traffic policy or IP families', () => {
    const out = serviceResource.schema.parse(svc({ type: 'ExternalName', externalName: 'db.example.com' }));
    applyServiceDefaults(out);
    expect(out.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  });

  it('is idempotent', () => {
    const once = create(svc({ type: 'LoadBalancer', ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }));
    const twice = structuredClone(once);
    applyServiceDefaults(twice);
    expect(twice).toEqual(once);
  });
});

const KIND_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('Service validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no ports', {}, ['spec.ports: Required value']],
    ['headless without ports is fine', { clusterIP: 'None' }, []],
    ['unnamed ports when there are two', { ports: [{ port: 80 }, { port: 81 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['second port unnamed', { ports: [{ name: 'a', port: 80 }, { port: 81 }] }, ['spec.ports[1].name: Required value']],
    ['duplicate port name', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }, ['spec.ports[1].name: Duplicate value: "a"']],
    ['bad port name', { ports: [{ name: 'Web', port: 80 }] }, [`spec.ports[0].name: Invalid value: "Web": ${KIND_ERR}`]],
    ['port out of range', { ports: [{ port: 70000 }] }, [
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]],
    ['bad protocol', { ports: [{ port: 80, protocol: 'HTTP' }] }, ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['bad targetPort name', { ports: [{ port: 80, targetPort: 'my--port' }] }, ['spec.ports[0].targetPort: Invalid value: "my--port": must not contain consecutive hyphens']],
    ['duplicate port/protocol', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]],
    ['same port, other protocol is fine', { ports: [{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }] }, []],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['duplicate nodePort', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] }, ['spec.ports[1].nodePort: Duplicate value: 30080']],
    ['bad type', { type: 'Internal', ports: [{ port: 80 }] }, ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['bad sessionAffinity', { sessionAffinity: 'Sticky', ports: [{ port: 80 }] }, ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']],
    ['affinity timeout too long', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } }, ports: [{ port: 80 }] }, [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400',
    ]],
    ['ExternalName needs externalName', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    ['ExternalName ok', { type: 'ExternalName', externalName: 'db.example.com.' }, []],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }, ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['kubelet port on LoadBalancer', { type: 'LoadBalancer', ports: [{ port: 10250 }] }, ['spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet']],
    ['bad external IP', { ports: [{ port: 80 }], externalIPs: ['1.2.3'] }, ['spec.externalIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['loopback external IP', { ports: [{ port: 80 }], externalIPs: ['127.0.0.1'] }, ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['bad selector value', { ports: [{ port: 80 }], selector: { app: 'a b' } }, [
      "spec.selector[app]: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]],
    ['bad ipFamilyPolicy', { ports: [{ port: 80 }], ipFamilyPolicy: 'Both' }, ['spec.ipFamilyPolicy: Unsupported value: "Both": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"']],
    ['externalTrafficPolicy on ClusterIP', { ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    ['PreferClose traffic distribution', { ports: [{ port: 80 }], trafficDistribution: 'PreferClose' }, []],
    ['an unknown traffic distribution', { ports: [{ port: 80 }], trafficDistribution: 'Nearby' }, ['spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose"']],
  ])('%s', (_name, spec, expected) => {
    expect(lines(serviceResource.validate(create(svc(spec))))).toEqual(expected);
  });

  it('a bad cluster IP is reported on clusterIPs[0]', () => {
    expect(lines(serviceResource.validate(create(svc({ ports: [{ port: 80 }], clusterIP: '10.0.0.500' }))))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.500": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe('Service update', () => {
  function update(oldRaw: unknown, newRaw: unknown): string[] {
    const old = create(oldRaw, '10.96.0.17');
    const next = serviceResource.schema.parse(newRaw);
    serviceResource.prepareForUpdate!(next, old);
    serviceResource.applyDefaults(next);
    return lines(serviceResource.validate(next, old));
  }

  it('keeps allocated clusterIP and nodePort when the update omits them', () => {
    const old = create(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }));
    const next = serviceResource.schema.parse(svc({ type: 'NodePort', ports: [{ port: 80 }] }));
    serviceResource.prepareForUpdate!(next, old);
    serviceResource.applyDefaults(next);
    expect(next.spec?.clusterIP).toBe('10.96.0.17');
    expect(next.spec?.clusterIPs).toEqual(['10.96.0.17']);
    expect(next.spec?.ports?.[0].nodePort).toBe(30001);
    expect(next.status).toEqual(old.status);
    expect(serviceResource.validate(next, old)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['changing clusterIP', { ports: [{ port: 80 }], clusterIP: '10.96.0.99' }, ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']],
    ['same clusterIP', { ports: [{ port: 80 }], clusterIP: '10.96.0.17' }, []],
    ['to ExternalName drops the IPs', { type: 'ExternalName', externalName: 'x.example.com' }, []],
  ])('%s', (_name, spec, expected) => {
    expect(update(svc({ ports: [{ port: 80 }] }), svc(spec))).toEqual(expected);
  });

  it('clears nodePorts when NodePort becomes ClusterIP', () => {
    const old = create(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }));
    const next = serviceResource.schema.parse(svc({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30001 }], clusterIP: '10.96.0.17' }));
    serviceResource.prepareForUpdate!(next, old);
    serviceResource.applyDefaults(next);
    expect(next.spec?.ports?.[0].nodePort).toBeUndefined();
    expect(next.spec?.externalTrafficPolicy).toBeUndefined();
    expect(serviceResource.validate(next, old)).toEqual([]);
  });
});

describe('Service resource', () => {
  it('is described as upstream serves it', () => {
    expect(serviceResource).toMatchObject({ group: '', version: 'v1', plural: 'services', shortNames: ['svc'], categories: ['all'], subresources: { status: true } });
    const out = create(svc({ type: 'NodePort', ports: [{ port: 80 }] }));
    expect(serviceResource.fieldSelectors?.['spec.type']?.(out)).toBe('NodePort');
    expect(serviceResource.fieldSelectors?.['spec.clusterIP']?.(out)).toBe('10.96.0.17');
  });
});
