import { addressesFromIpJson } from '../node-port-addresses.ts';
import type { Exec } from './exec.ts';
import type { ProxierHost } from './proxier.ts';

/** ProxierHost that runs `sysctl -w`, `conntrack -D` and `ip -j addr` through `exec` (so also inside a netns). */
export function execHost(exec: Exec): ProxierHost {
  return {
    async setSysctl(name, value) {
      const r = await exec('sysctl', ['-w', `${name.replaceAll('/', '.')}=${value}`]);
      if (r.code !== 0) throw new Error(`sysctl ${name} failed: ${r.stderr.trim()}`);
    },
    async setSysctls(values) {
      const r = await exec('sysctl', ['-w', ...values.map(([name, value]) => `${name.replaceAll('/', '.')}=${value}`)]);
      if (r.code !== 0) throw new Error(`sysctl ${values.map(([n]) => n).join(' ')} failed: ${r.stderr.trim()}`);
    },
    async clearUdpConntrack(serviceIP, endpointIP) {
      // Exit code 1 means "no entries matched", which is fine.
      await exec('conntrack', ['-D', '-p', 'udp', '--orig-dst', serviceIP, '--dst-nat', endpointIP]);
    },
    async localAddresses() {
      const r = await exec('ip', ['-j', '-4', 'addr', 'show']);
      if (r.code !== 0) throw new Error(`ip addr show failed: ${r.stderr.trim()}`);
      return addressesFromIpJson(r.stdout);
    },
  };
}
