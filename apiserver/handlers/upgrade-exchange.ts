/**
 * One HTTP upgrade request (exec, attach, port-forward) as the API server serves it on the raw
 * socket, outside fastify. It has an audit ID as every request does (the client's `Audit-ID` or a
 * new UUID), and every answer the API server writes itself — a refusal, a missing pod, a bad
 * request — echoes it as `Audit-Id`, as upstream's `WithAuditInit` does. An upgrade the backend
 * accepts is answered by the backend (kubelet → runtime) byte for byte, so, as upstream, that
 * answer carries no `Audit-Id`.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '../../pkg/errors/index.ts';
import { writeRawResponse } from '../../pkg/net/upgrade-proxy.ts';
import { AUDIT_ID_HEADER, auditIdFor } from '../audit/audit-id.ts';

/** What an exchange is made of: the upgrade request and its socket. */
export interface UpgradeExchangeOptions {
  req: IncomingMessage;
  socket: Duplex;
}

/** An upgrade request and the raw socket it is answered on; see the module comment. */
export class UpgradeExchange {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly auditID: string;

  constructor(options: UpgradeExchangeOptions) {
    this.req = options.req;
    this.socket = options.socket;
    this.auditID = auditIdFor(options.req.headers['audit-id']);
  }

  /** Answers with `err`'s Status (and its `Audit-Id`) and closes the socket; nothing once the socket is gone. */
  fail(err: ApiError): void {
    writeRawResponse(this.socket, err.code, STATUS_CODES[err.code] ?? err.reason, JSON.stringify(err.toStatus()), { headers: { [AUDIT_ID_HEADER]: this.auditID } });
  }
}
