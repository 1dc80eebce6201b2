import { Gauge, Histogram, Registry } from 'prom-client';

/** kube-proxy's sync metrics (upstream names) in their own registry. */
export interface ProxyMetrics {
  registry: Registry;
  syncDuration: Histogram;
  lastSyncTimestamp: Gauge;
  /** Rules written by the last iptables sync, by table (upstream kubeproxy_sync_proxy_rules_iptables_total). */
  iptablesRules: Gauge<'table'>;
  /** Map elements in the nftables table after the last sync. */
  nftablesElements: Gauge;
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  return {
    registry,
    syncDuration: new Histogram({
      name: 'kubeproxy_sync_proxy_rules_duration_seconds',
      help: 'SyncProxyRules latency in seconds',
      buckets: [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384],
      registers: [registry],
    }),
    lastSyncTimestamp: new Gauge({ name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds', help: 'The last time proxy rules were successfully synced', registers: [registry] }),
    iptablesRules: new Gauge({ name: 'kubeproxy_sync_proxy_rules_iptables_total', help: 'Total number of iptables rules owned by kube-proxy', labelNames: ['table'], registers: [registry] }),
    nftablesElements: new Gauge({ name: 'kubeproxy_sync_proxy_rules_nftables_elements', help: 'Map elements in the kube-proxy nftables table', registers: [registry] }),
  };
}
