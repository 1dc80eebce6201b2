// Forwards connections on a unix socket to HOST:PORT: `node unix-to-tcp-forwarder.mjs SOCKET HOST PORT`.
// Started inside a test's network namespace, it lets the test (in the host's namespace) reach a
// server listening there through the shared filesystem, without any veth or route on the host.
import { connect, createServer } from 'node:net';
import { rmSync } from 'node:fs';

const [socketPath, host, port] = process.argv.slice(2);
if (!socketPath || !host || !port) {
  console.error('usage: unix-to-tcp-forwarder.mjs SOCKET HOST PORT');
  process.exit(2);
}
rmSync(socketPath, { force: true });
const server = createServer((downstream) => {
  const upstream = connect(Number(port), host);
  downstream.pipe(upstream).pipe(downstream);
  const close = () => {
    downstream.destroy();
    upstream.destroy();
  };
  downstream.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
});
server.listen(socketPath, () => console.log(`forwarding ${socketPath} -> ${host}:${port}`));
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
