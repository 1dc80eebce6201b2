/**
 * One HTTP upgrade request (exec, attach, port-forward, or one to an aggregated API server) as
 * the API server serves it on the raw socket, outside fastify. It has an audit ID as every request does (the client's `Audit-ID` or a
 * new UUID), and every answer the API server writes itself — a refusal, a missing pod, a bad
 * request — echoes it as `Audit-Id`, as upstream's `WithAuditInit` does. An upgrade the backend
 * accepts is answered by the backend (kubelet → runtime) byte for byte, so, as upstream, that
 * answer carries no `Audit-Id`.
 *
 * With auditing on, the exchange carries the request's audit record as upstream's audit filter
 * sees a hijacked request: RequestReceived once the user is known, ResponseStarted with `101`
 * when the backend's answer is handed over (upstream records 101 at the hijack, also when the
 * backend's answer relayed after it is an error), ResponseComplete with the same code when the
 * connection closes — or, for an answer the API server wrote itself, its code and Status. An
 * unexpected failure (a bug) is recorded as upstream's Panic stage and answered with a 500.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { internalError, type ApiError } from '../../pkg/errors/index.ts';
import { writeRawResponse } from '../../pkg/net/upgrade-proxy.ts';
import { AUDIT_ID_HEADER, auditIdFor } from '../audit/audit-id.ts';
import { RequestAudit, type AuditEnvironment } from '../audit/request-audit.ts';

/** What an exchange is made of: the upgrade request, its socket, and the server's audit settings when auditing is on. */
export interface UpgradeExchangeOptions {
  req: IncomingMessage;
  socket: Duplex;
  audit?: AuditEnvironment;
  /** Where a failure to write an audit event is reported. */
  log: Logger;
}

/** The status code an upgrade handed over to the backend is audited with (upstream's hijack). */
const SWITCHING_PROTOCOLS = 101;

/** Go's `http.Error` content type. */
const PLAIN_TEXT = 'text/plain; charset=utf-8';

/** An upgrade request and the raw socket it is answered on; see the module comment. */
export class UpgradeExchange {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly auditID: string;
  /** The request's audit record (only with auditing on); the guard reports to it. */
  readonly audit: RequestAudit | undefined;
  /** The code answered so far (undefined: nothing yet). */
  private code: number | undefined;

  constructor(options: UpgradeExchangeOptions) {
    this.req = options.req;
    this.socket = options.socket;
    this.auditID = auditIdFor(options.req.headers['audit-id']);
    const audit = options.audit && new RequestAudit(options.audit, { request: options.req, auditID: this.auditID });
    this.audit = audit;
    if (!audit) return;
    options.socket.once('close', () => {
      // An event listener: a failure here must not take the process down.
      try {
        audit.complete({ code: this.code });
      } catch (err) {
        options.log.error({ err, auditID: this.auditID }, 'audit event failed');
      }
    });
  }

  /** Answers with `err`'s Status (and its `Audit-Id`) and closes the socket; nothing once the socket is gone. */
  fail(err: ApiError): void {
    if (this.socket.destroyed) return;
    const body = JSON.stringify(err.toStatus());
    this.code = err.code;
    // As upstream's error writer: the Status is noted, then the header write starts a long-running request's response.
    this.audit?.responsePayload(err.code, 'application/json', body);
    this.audit?.responseStarted(err.code);
    this.answer(err.code, body);
  }

  /**
   * Answers with a plain-text body (`message` and a newline, as Go's `http.Error`: the
   * aggregator's `service unavailable`) and closes the socket; nothing once the socket is gone.
   */
  failText(code: number, message: string): void {
    if (this.socket.destroyed) return;
    const body = `${message}\n`;
    this.code = code;
    this.audit?.responsePayload(code, PLAIN_TEXT, body);
    this.audit?.responseStarted(code);
    writeRawResponse(this.socket, code, STATUS_CODES[code] ?? 'Error', body, { contentType: PLAIN_TEXT, headers: { 'X-Content-Type-Options': 'nosniff', [AUDIT_ID_HEADER]: this.auditID } });
  }

  /** An unexpected failure (not an ApiError): records the Panic stage, then answers 500 InternalError. */
  panicked(error: unknown): void {
    this.audit?.panicked({ error });
    if (this.socket.destroyed) return;
    const status = internalError(error);
    this.code = status.code;
    this.answer(status.code, JSON.stringify(status.toStatus()));
  }

  private answer(code: number, body: string): void {
    writeRawResponse(this.socket, code, STATUS_CODES[code] ?? 'Error', body, { headers: { [AUDIT_ID_HEADER]: this.auditID } });
  }

  /** The backend's answer is about to be relayed: from now on the connection is the backend's. */
  handedOver(): void {
    this.code = SWITCHING_PROTOCOLS;
    this.audit?.responseStarted(SWITCHING_PROTOCOLS);
  }
}
