import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { credentials } from '@grpc/grpc-js';
import { isBrokenCircuitError } from 'cockatiel';
import { GRPCDeadlineExceededError, GRPCUnavailableError } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { grpcMemberConnector, memberAddress, MemberReachability, type MemberConnection } from './etcd3-member-reachability.ts';

const A = 'http://10.0.0.1:2379';
const B = 'http://10.0.0.2:2379';
const C = 'http://10.0.0.3:2379';
const lostConnection = () => Promise.reject(new GRPCUnavailableError('14 UNAVAILABLE: Connection dropped'));
const ok = async () => 'ok';
const refusal = (p: Promise<unknown>) => p.then(() => 'went through', (err: unknown) => (isBrokenCircuitError(err) ? 'refused' : String(err)));

/** Monitoring connections the test drives: `up` says whether a new connection comes up; `drop(address)` loses the open one. */
function fakeNetwork() {
  const up = new Map<string, boolean>();
  const open = new Map<string, () => void>();
  const opened: string[] = [];
  const connect = (address: string): MemberConnection => {
    opened.push(address);
    let lose = () => undefined as void;
    const lost = new Promise<void>((resolve) => (lose = resolve));
    return {
      ready: async () => {
        if (!(up.get(address) ?? true)) return false;
        open.set(address, lose);
        return true;
      },
      lost: () => lost,
      close: () => lose(),
    };
  };
  return { up, opened, connect, drop: (address: string) => open.get(address)?.() };
}

const reachabilities: MemberReachability[] = [];
afterEach(() => {
  for (const r of reachabilities.splice(0)) r.close();
});
function reachability(members: string[], network: ReturnType<typeof fakeNetwork>): MemberReachability {
  const r = new MemberReachability(members, { connect: network.connect, retryMs: 5 });
  reachabilities.push(r);
  return r;
}

describe('MemberReachability', () => {
  it('skips a member from the moment its monitoring connection is lost until a new one is up', async () => {
    const net = fakeNetwork();
    const r = reachability([A, B, C], net);
    await expect.poll(() => net.opened.length).toBe(3);
    net.up.set('10.0.0.1:2379', false);
    net.drop('10.0.0.1:2379');
    await expect.poll(() => r.unreachableMembers()).toEqual([A]);
    expect(await refusal(r.policyFor(A).execute(ok))).toBe('refused');
    await expect(r.policyFor(B).execute(ok)).resolves.toBe('ok');
    await expect.poll(() => net.opened.filter((a) => a === '10.0.0.1:2379').length).toBeGreaterThan(2);

    net.up.set('10.0.0.1:2379', true);
    await expect.poll(() => r.isReachable(A)).toBe(true);
    await expect(r.policyFor(A).execute(ok)).resolves.toBe('ok');
  });

  it('a call that could not reach its member (connection lost, deadline) marks it unreachable and drops its monitoring connection; etcd answers during an election do not', async () => {
    const net = fakeNetwork();
    const r = reachability([A, B], net);
    await expect.poll(() => net.opened.length).toBe(2);
    const a = r.policyFor(A);
    for (const message of ['14 UNAVAILABLE: etcdserver: leader changed', '14 UNAVAILABLE: etcdserver: request timed out']) {
      await expect(a.execute(() => Promise.reject(new GRPCUnavailableError(message)))).rejects.toThrow(message);
    }
    expect(r.isReachable(A)).toBe(true);
    expect(net.opened).toHaveLength(2);

    // A black-holed member: its old monitoring connection still looks fine, a new one never comes up.
    net.up.set('10.0.0.1:2379', false);
    await expect(a.execute(() => Promise.reject(new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded')))).rejects.toThrow('Deadline');
    expect(r.isReachable(A)).toBe(false);
    await expect.poll(() => net.opened.length).toBeGreaterThan(3);
    expect(r.isReachable(A)).toBe(false);
    net.up.set('10.0.0.1:2379', true);
    await expect.poll(() => r.isReachable(A)).toBe(true);

    net.up.set('10.0.0.1:2379', false);
    await expect(a.execute(lostConnection)).rejects.toThrow('Connection dropped');
    expect(r.isReachable(A)).toBe(false);
  });

  it('lets calls through when every member is unreachable, and a call that succeeds marks its member reachable', async () => {
    const net = fakeNetwork();
    net.up.set('10.0.0.1:2379', false);
    net.up.set('10.0.0.2:2379', false);
    const r = reachability([A, B], net);
    await expect.poll(() => r.unreachableMembers()).toEqual([A, B]);
    await expect(r.policyFor(B).execute(ok)).resolves.toBe('ok');
    expect(r.unreachableMembers()).toEqual([A]);
    expect(await refusal(r.policyFor(A).execute(ok))).toBe('refused');
  });

  it('monitors nothing for a single member (even listed twice), and stops monitoring when closed', async () => {
    const single = fakeNetwork();
    reachability([A, A], single);
    const net = fakeNetwork();
    net.up.set('10.0.0.1:2379', false);
    const r = reachability([A, B], net);
    await expect.poll(() => net.opened.length).toBeGreaterThan(3);
    r.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = net.opened.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(net.opened.length).toBe(after);
    expect(r.isReachable(A)).toBe(true);
    expect(single.opened).toEqual([]);
  });

  it('memberAddress is the host:port the client dials', () => {
    expect(memberAddress('http://10.0.0.1:2379')).toBe('10.0.0.1:2379');
    expect(memberAddress('https://etcd-0.example:2379')).toBe('etcd-0.example:2379');
    expect(memberAddress('127.0.0.1:2379')).toBe('127.0.0.1:2379');
  });
});

describe('grpcMemberConnector', () => {
  const servers: Array<Server | Http2Server> = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  });
  const listen = async (server: Server | Http2Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const connect = grpcMemberConnector(credentials.createInsecure(), 500);

  it('is ready against an HTTP/2 server and reports the connection lost when the server drops it', async () => {
    const server = createHttp2Server();
    const sessions = new Set<{ destroy(): void }>();
    server.on('session', (s) => sessions.add(s));
    const connection = connect(await listen(server));
    expect(await connection.ready()).toBe(true);
    const lost = connection.lost();
    let isLost = false;
    void lost.then(() => (isLost = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isLost).toBe(false);
    for (const s of sessions) s.destroy();
    await lost;
    connection.close();
  });

  it('is not ready for a closed port nor for a port that accepts connections but never answers', async () => {
    const closed = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const toClosed = connect(closed);
    expect(await toClosed.ready()).toBe(false);
    toClosed.close();
    const toTarpit = connect(await listen(createServer((s) => sockets.add(s.on('error', () => undefined)))));
    expect(await toTarpit.ready()).toBe(false);
    toTarpit.close();
  });
});
