// Runs the shared network-namespace suite against the nftables proxier.
process.env['K8TS_PROXY_TEST_MODE'] = 'nftables';
await import('../iptables/proxier.netns.test.ts');
