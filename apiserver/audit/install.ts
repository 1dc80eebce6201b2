/**
 * Wiring of auditing into the fastify app. Two `onRequest` hooks bracket the authentication
 * guard: the first (registered before it) starts the request's {@link RequestAudit} and answers
 * its `Audit-Id` header; the guard reports the user and the authorization verdict to it; the
 * second (after the guard) levels requests no guard saw (`inject()`, the plain-HTTP listener, as
 * `system:unsecured`). `onSend` hands over the response body; the response's `close` writes
 * ResponseComplete — also for hijacked responses (watches) and requests the guard refused.
 * Not installed at all without a policy, so an unaudited server pays nothing per request.
 */
import type { FastifyInstance } from 'fastify';
import { UNSECURED_USER } from '../../pkg/auth/user.ts';
import { RequestAudit, type AuditEnvironment } from './request-audit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's audit record (only on a server with an audit policy). */
    k8sAudit?: RequestAudit;
  }
}

/** Registers the hook that starts each request's audit record; call before the authentication guard is installed. */
export function installAuditStart(app: FastifyInstance, env: AuditEnvironment): void {
  app.addHook('onRequest', (request, reply, done) => {
    const audit = new RequestAudit(env, request.raw, reply.raw);
    request.k8sAudit = audit;
    // On the raw response, so hijacked responses (watches) carry it too.
    reply.raw.setHeader('Audit-Id', audit.auditID);
    reply.raw.once('close', () => {
      // An event listener: a failure here must not take the process down.
      try {
        audit.complete(reply.raw.statusCode, request.headers['content-type'], request.body);
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
