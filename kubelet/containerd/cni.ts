/**
 * The CNI network of a k8ts node: a bridge with host-local IPAM over the node's pod CIDR, port
 * mappings (portmap) and loopback — the conflist containerd's CRI plugin reads. Pure.
 */

/** Options of {@link renderCniConflist}. */
export interface CniOptions {
  /** The node's pod CIDR, e.g. `10.244.1.0/24`. */
  podCidr: string;
  /** Bridge name (default `k8ts0`). */
  bridge?: string;
}

/** The conflist JSON text. */
export function renderCniConflist(options: CniOptions): string {
  const conf = {
    cniVersion: '1.0.0',
    name: 'k8ts',
    plugins: [
      {
        type: 'bridge',
        bridge: options.bridge ?? 'k8ts0',
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: options.podCidr }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'loopback' },
    ],
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}
