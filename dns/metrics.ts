/**
 * The cluster DNS's Prometheus metrics, named as CoreDNS's `prometheus` plugin names them so
 * dashboards built for kubeadm clusters read them unchanged: requests by protocol and query type,
 * responses by rcode, and request duration.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Counters the server feeds; `registry` is served on /metrics. */
export interface DnsMetrics {
  readonly registry: Registry;
  /** One answered (or dropped, rcode `-`) query. */
  observe(query: { proto: 'udp' | 'tcp'; type: string; rcode: string; seconds: number }): void;
}

/** rcode numbers → the names CoreDNS uses in its `rcode` label. Pure. */
export function rcodeName(code: number | undefined): string {
  return ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][code ?? 0] ?? String(code);
}

/** A fresh registry with the DNS metrics and the process's default metrics. */
export function createDnsMetrics(): DnsMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labels = { server: 'dns://', zone: '.' };
  const requests = new Counter({ name: 'coredns_dns_requests_total', help: 'Counter of DNS requests made per zone, protocol and family.', labelNames: ['server', 'zone', 'proto', 'family', 'type'], registers: [registry] });
  const responses = new Counter({ name: 'coredns_dns_responses_total', help: 'Counter of response status codes.', labelNames: ['server', 'zone', 'rcode'], registers: [registry] });
  const duration = new Histogram({ name: 'coredns_dns_request_duration_seconds', help: 'Histogram of the time (in seconds) each request took.', labelNames: ['server', 'zone', 'type'], buckets: [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192], registers: [registry] });
  return {
    registry,
    observe({ proto, type, rcode, seconds }) {
      requests.inc({ ...labels, proto, family: '1', type });
      responses.inc({ ...labels, rcode });
      duration.observe({ ...labels, type }, seconds);
    },
  };
}
