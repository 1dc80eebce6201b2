import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

describe('controller-manager flags', () => {
  it('defaults as kube-controller-manager', () => {
    const c = parseConfig(['--kubeconfig', '/k']);
    expect(c).toMatchObject({
      controllers: ['*'],
      leaderElect: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      leaseName: 'kube-controller-manager',
      leaseNamespace: 'kube-system',
      qps: 20,
      burst: 30,
      port: 10257,
      settings: { allocateNodeCidrs: false, nodeCidrMaskSize: 24, nodeMonitorGracePeriodMs: 40_000, nodeStartupGracePeriodMs: 60_000, concurrentSyncs: {} },
    });
  });

  it('parses durations, lists, booleans written as Go accepts them, and concurrency flags', () => {
    const c = parseConfig([
      '--kubeconfig=/k', '--controllers', '*,-nodelifecycle', '--leader-elect=false', '--node-monitor-grace-period', '1m30s',
      '--allocate-node-cidrs', '--cluster-cidr', '10.244.0.0/16', '--concurrent-deployment-syncs', '10', '--concurrent-rc-syncs', '3', '--kube-api-qps', '100',
    ]);
    expect(c).toMatchObject({ controllers: ['*', '-nodelifecycle'], leaderElect: false, qps: 100, settings: { nodeMonitorGracePeriodMs: 90_000, allocateNodeCidrs: true, clusterCidr: '10.244.0.0/16', concurrentSyncs: { deployment: 10, replicationcontroller: 3 } } });
  });

  it('storage flags: --pvclaimbinder-sync-period, --hostpath-provisioner-dir (absolute), --concurrent-ephemeralvolume-syncs', () => {
    expect(parseConfig(['--kubeconfig', '/k', '--pvclaimbinder-sync-period', '30s', '--hostpath-provisioner-dir', '/data/volumes', '--concurrent-ephemeralvolume-syncs', '3'])).toMatchObject({
      settings: { pvClaimBinderSyncPeriodMs: 30_000, hostpathProvisionerDir: '/data/volumes', concurrentSyncs: { 'ephemeral-volume': 3 } },
    });
    expect(() => parseConfig(['--kubeconfig', '/k', '--hostpath-provisioner-dir', 'relative/dir'])).toThrow(/absolute/);
  });

  it('quota flags: --resource-quota-sync-period, --concurrent-resource-quota-syncs', () => {
    expect(parseConfig(['--kubeconfig', '/k', '--resource-quota-sync-period', '1m', '--concurrent-resource-quota-syncs', '2'])).toMatchObject({
      settings: { resourceQuotaSyncPeriodMs: 60_000, concurrentSyncs: { resourcequota: 2 } },
    });
  });

  it('autoscaler flags: --horizontal-pod-autoscaler-*, --concurrent-horizontal-pod-autoscaler-syncs', () => {
    const flags = ['--horizontal-pod-autoscaler-sync-period', '5s', '--horizontal-pod-autoscaler-downscale-stabilization', '2m', '--horizontal-pod-autoscaler-tolerance', '0.05',
      '--horizontal-pod-autoscaler-cpu-initialization-period', '1m', '--horizontal-pod-autoscaler-initial-readiness-delay', '10s', '--concurrent-horizontal-pod-autoscaler-syncs', '3'];
    expect(parseConfig(['--kubeconfig', '/k', ...flags])).toMatchObject({
      settings: { hpaSyncPeriodMs: 5_000, hpaDownscaleStabilizationMs: 120_000, hpaTolerance: 0.05, hpaCpuInitializationPeriodMs: 60_000, hpaInitialReadinessDelayMs: 10_000, concurrentSyncs: { horizontalpodautoscaling: 3 } },
    });
    expect(() => parseConfig(['--kubeconfig', '/k', '--horizontal-pod-autoscaler-tolerance', '-1'])).toThrow();
  });

  it('mirroring flags: --mirroring-max-endpoints-per-subset (1–1000), --mirroring-concurrent-service-endpoint-syncs', () => {
    expect(parseConfig(['--kubeconfig', '/k', '--mirroring-max-endpoints-per-subset', '50', '--mirroring-concurrent-service-endpoint-syncs', '2'])).toMatchObject({
      settings: { mirroringMaxEndpointsPerSubset: 50, concurrentSyncs: { endpointslicemirroring: 2 } },
    });
    expect((parseConfig(['--kubeconfig', '/k']) as { settings: { mirroringMaxEndpointsPerSubset?: number } }).settings.mirroringMaxEndpointsPerSubset).toBeUndefined();
    expect(() => parseConfig(['--kubeconfig', '/k', '--mirroring-max-endpoints-per-subset', '1001'])).toThrow();
    expect(() => parseConfig(['--kubeconfig', '/k', '--mirroring-max-endpoints-per-subset', '0'])).toThrow();
  });

  it('--root-ca-file is the CA root-ca-cert-publisher publishes', () => {
    expect(parseConfig(['--kubeconfig', '/k', '--root-ca-file', '/pki/ca.crt'])).toMatchObject({ settings: { rootCaFile: '/pki/ca.crt' } });
    expect((parseConfig(['--kubeconfig', '/k']) as { settings: { rootCaFile?: string } }).settings.rootCaFile).toBeUndefined();
  });

  it.each([
    [['--kubeconfig', '/k', '--node-monitor-grace-period', '40'], 'time: invalid duration "40"'],
    [['--kubeconfig', '/k', '--allocate-node-cidrs'], '--allocate-node-cidrs needs --cluster-cidr'],
    [[], 'give --kubeconfig'],
    [['--kubeconfig', '/k', '--nope'], "Unknown option '--nope'"],
    [['--kubeconfig', '/k', '--leader-elect-lease-duration', '5s'], 'leaseDuration must be greater than renewDeadline'],
  ])('%j is a usage error', (argv, message) => expect(() => parseConfig(argv)).toThrow(message));
});
