/**
 * The DNS server edge: UDP and TCP on one address, each query decoded with `dns-packet`,
 * answered from the cluster view (`records.ts`) or forwarded to the upstream resolvers for names
 * outside the cluster domain. A malformed packet is dropped; an upstream that does not answer
 * within 2 s gives SERVFAIL.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import dnsPacket, { type Answer, type Packet, type Question } from 'dns-packet';
import type { Logger } from 'pino';
import { answer, DNS_TTL, type DnsRecord, type DnsView } from './records.ts';
import { rcodeName, type DnsMetrics } from './metrics.ts';

const NXDOMAIN = 3;
const SERVFAIL = 2;

function toAnswer(r: DnsRecord): Answer {
  if (r.type === 'A') return { type: 'A', name: r.name, ttl: DNS_TTL, class: 'IN', data: r.address };
  if (r.type === 'CNAME') return { type: 'CNAME', name: r.name, ttl: DNS_TTL, class: 'IN', data: r.target };
  if (r.type === 'PTR') return { type: 'PTR', name: r.name, ttl: DNS_TTL, class: 'IN', data: r.target };
  if (r.type === 'TXT') return { type: 'TXT', name: r.name, ttl: DNS_TTL, class: 'IN', data: r.text };
  return { type: 'SRV', name: r.name, ttl: DNS_TTL, class: 'IN', data: { port: r.port, target: r.target, priority: r.priority, weight: r.weight } };
}

/** Builds the response for an in-cluster question, or undefined to forward. Pure apart from the view. */
export function respond(view: DnsView, query: Packet): Packet | undefined {
  const question = query.questions?.[0] as Question | undefined;
  if (!question) return { id: query.id, type: 'response', flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [], answers: [] } as Packet;
  const result = answer(view, question.name, question.type);
  if (result.kind === 'forward') return undefined;
  const soa: Answer = { type: 'SOA', name: view.domain, ttl: DNS_TTL, class: 'IN', data: { mname: `ns.dns.${view.domain}`, rname: `hostmaster.${view.domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: DNS_TTL } };
  const records = result.kind === 'records' ? result.records.map(toAnswer) : [];
  return {
    id: query.id,
    type: 'response',
    flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | (result.kind === 'nxdomain' ? NXDOMAIN : 0),
    questions: [question],
    answers: records,
    authorities: records.length ? [] : [soa],
  } as Packet;
}

/** Options of {@link startDnsServer}. */
export interface DnsServerOptions {
  view: DnsView;
  host: string;
  port: number;
  /** Resolvers for other names (`host:port` or `host`). */
  upstreams: readonly string[];
  log: Logger;
  /** When given, every query is counted (see `metrics.ts`). */
  metrics?: DnsMetrics;
}

/** A running server (port is the bound one). */
export interface DnsServer {
  readonly port: number;
  close(): Promise<void>;
}

function forward(raw: Buffer, upstream: string): Promise<Buffer> {
  const [host, port] = upstream.includes(':') && !upstream.includes('::') ? upstream.split(':') : [upstream, '53'];
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`upstream ${upstream} timed out`));
    }, 2000);
    socket.once('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.send(raw, Number(port), host);
  });
}

/** Answers one raw query (UDP or TCP payload without the length prefix), counted in `options.metrics`. */
async function handle(options: DnsServerOptions, raw: Buffer, proto: 'udp' | 'tcp'): Promise<Buffer | undefined> {
  const t0 = performance.now();
  let query: Packet | undefined;
  try {
    query = dnsPacket.decode(raw);
  } catch {
    // a malformed query is dropped (and counted with type "other", rcode "-")
  }
  const out = query && (await answerQuery(options, raw, query));
  // The header's RCODE nibble, without decoding the answer again.
  const rcode = out && out.length >= 4 ? rcodeName(out[3] & 0x0f) : '-';
  options.metrics?.observe({ proto, type: query?.questions?.[0]?.type ?? 'other', rcode, seconds: (performance.now() - t0) / 1000 });
  return out;
}

/** The answer to a decoded query: from the cluster view, else the first upstream that answers, else SERVFAIL. */
async function answerQuery(options: DnsServerOptions, raw: Buffer, query: Packet): Promise<Buffer> {
  const local = respond(options.view, query);
  if (local) return dnsPacket.encode(local);
  for (const upstream of options.upstreams) {
    try {
      return await forward(raw, upstream);
    } catch (err) {
      options.log.debug({ err, upstream }, 'upstream failed');
    }
  }
  return dnsPacket.encode({ id: query.id, type: 'response', flags: SERVFAIL | dnsPacket.RECURSION_AVAILABLE, questions: query.questions ?? [] } as Packet);
}

/**
 * Listens on UDP and TCP on one port. With port 0 the UDP socket picks a free port that TCP may
 * not have free (an outgoing connection can hold the same number): then it tries another port.
 */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(options);
    } catch (err) {
      if (options.port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 10) throw err;
    }
  }
}

async function listen(options: DnsServerOptions): Promise<DnsServer> {
  const udp: Socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    void handle(options, msg, 'udp').then((out) => out && udp.send(out, rinfo.port, rinfo.address));
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port, options.host, () => resolve());
  });
  const port = (udp.address() as AddressInfo).port;
  const tcp: Server = createServer((conn) => {
    let buffer = Buffer.alloc(0);
    conn.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const len = buffer.readUInt16BE(0);
        const msg = buffer.subarray(2, 2 + len);
        buffer = buffer.subarray(2 + len);
        void handle(options, msg, 'tcp').then((out) => {
          if (!out || conn.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(out.length);
          conn.write(Buffer.concat([prefix, out]));
        });
      }
    });
    conn.on('error', () => conn.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, options.host, () => resolve());
  }).catch((err: unknown) => {
    udp.close();
    throw err;
  });
  return {
    port,
    close: async () => {
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}
