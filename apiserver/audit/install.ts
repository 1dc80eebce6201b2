/**
 * Wiring of auditing into the fastify app. The request's audit ID is fastify's request id (the
 * server's `genReqId` is `auditIdFor` of `audit-id.ts`, so request logs carry it as `auditID`, as
 * upstream's do). Two `onRequest` hooks bracket the authentication guard: the first (registered before it,
 * on every server) answers the `Audit-Id` header and, with a policy, starts the request's
 * {@link RequestAudit}; the guard reports the user and the authorization verdict to it; the
 * second (after the guard, only with a policy) levels requests no guard saw (`inject()`, the
 * plain-HTTP listener, as `system:unsecured`). `onSend` hands over the response body; the
 * response's `close` writes ResponseComplete — also for hijacked responses (watches) and requests
 * the guard refused. Without a policy the only per-request cost is the ID and its header.
 */
import type { FastifyInstance } from 'fastify';
import { UNSECURED_USER } from '../../pkg/auth/user.ts';
import { AUDIT_ID_HEADER } from './audit-id.ts';
import { RequestAudit, type AuditEnvironment } from './request-audit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's audit record (only on a server with an audit policy). */
    k8sAudit?: RequestAudit;
  }
}

/**
 * Registers the hook that answers each request's `Audit-Id` (its fastify id) and, with `env`,
 * starts its audit record; call before the authentication guard is installed.
 */
export function installAuditStart(app: FastifyInstance, env: AuditEnvironment | undefined): void {
  app.addHook('onRequest', (request, reply, done) => {
    // On the raw response, so hijacked responses (watches) carry it too.
    reply.raw.setHeader(AUDIT_ID_HEADER, request.id);
    if (!env) return done();
    const audit = new RequestAudit(env, { request: request.raw, response: reply.raw, auditID: request.id });
    request.k8sAudit = audit;
    reply.raw.once('close', () => {
      // An event listener: a failure here must not take the process down.
      try {
        audit.complete({ code: reply.raw.headersSent ? reply.raw.statusCode : undefined, requestContentType: request.headers['content-type'], requestBody: request.body });
      } catch (err) {
        request.log.error({ err, auditID: audit.auditID }, 'audit event failed');
      }
    });
    done();
  });
}

/** Registers the hooks after the guard: leveling of unguarded requests and the response body. */
export function installAuditCompletion(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    request.k8sAudit?.begin(request.k8sUser ?? UNSECURED_USER);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    request.k8sAudit?.responsePayload(reply.statusCode, reply.getHeader('content-type'), payload);
    done(null, payload);
  });
}
