import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * Throws a clear error unless the kernel has IPVS: /proc/net/ip_vs exists, or appears after
 * `modprobe ip_vs`. `procPath` is injectable for tests.
 */
export function assertIpvsSupported(procPath = '/proc/net/ip_vs', modprobe = (): void => void spawnSync('modprobe', ['ip_vs'], { stdio: 'ignore' })): void {
  if (existsSync(procPath)) return;
  modprobe();
  if (existsSync(procPath)) return;
  throw new Error(`--proxy-mode ipvs: this kernel has no IPVS support (${procPath} is missing and "modprobe ip_vs" did not load it); use --proxy-mode iptables or nftables`);
}
