/**
 * Reads the host facts a Node reports: CPUs, memory, the root directory's filesystem size,
 * the first non-loopback IPv4 address, machine/boot ids and the OS name.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { HostFacts } from './node-status.ts';

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Go's GOARCH names. */
export function goArch(nodeArch: string): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** The first non-internal IPv4 address of the host (127.0.0.1 when there is none). */
export function firstHostIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Facts of this machine; `rootDir` is the kubelet's root (its filesystem is ephemeral-storage). */
export function readHostFacts(options: { rootDir: string; nodeIP?: string; maxPods: number; hostname?: string }): HostFacts {
  const fs = statfsSync(options.rootDir);
  const osRelease = read('/etc/os-release');
  return {
    cpus: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: Number(fs.blocks) * Number(fs.bsize),
    maxPods: options.maxPods,
    hostname: options.hostname ?? hostname(),
    internalIP: options.nodeIP ?? firstHostIPv4(),
    machineID: read('/etc/machine-id'),
    systemUUID: read('/sys/class/dmi/id/product_uuid').toLowerCase(),
    bootID: read('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux',
    architecture: goArch(arch()),
  };
}
