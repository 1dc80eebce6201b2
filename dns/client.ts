/**
 * A one-question DNS client over UDP: what `k8ts up` uses to see that the cluster DNS answers,
 * and what the DNS tests ask it with.
 */
import { createSocket } from 'node:dgram';
import dnsPacket, { type Packet } from 'dns-packet';

/** One question to a server. */
export interface DnsQuestion {
  server: string;
  port?: number;
  name: string;
  type?: 'A' | 'AAAA' | 'SRV' | 'PTR' | 'TXT';
  timeoutMs?: number;
}

/** Sends the question with recursion desired; resolves with the decoded answer, rejects on timeout. */
export function queryDns(q: DnsQuestion): Promise<Packet> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(q.server.includes(':') ? 'udp6' : 'udp4');
    const done = (fn: () => void) => {
      clearTimeout(timer);
      socket.close();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error(`no answer from ${q.server} for ${q.name} within ${q.timeoutMs ?? 3000} ms`))), q.timeoutMs ?? 3000);
    socket.once('message', (msg) => done(() => resolve(dnsPacket.decode(msg))));
    socket.once('error', (err) => done(() => reject(err)));
    socket.send(dnsPacket.encode({ type: 'query', id: Math.floor(Math.random() * 65536), flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: q.type ?? 'A', name: q.name }] }), q.port ?? 53, q.server);
  });
}
