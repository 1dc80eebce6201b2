/**
 * One request's audit record (upstream's `AuditContext`): created when the request arrives,
 * leveled by the policy once the authenticated user is known, annotated by authorization and
 * admission, and written at its stages — RequestReceived (stamped with the time the request
 * arrived, as upstream), ResponseStarted (long-running requests only: watches, logs, proxy,
 * exec/attach/port-forward) and ResponseComplete — or, for a request that failed unexpectedly,
 * Panic instead. Events of a level-None request, and stages the policy omits, are not written.
 * A request that fails authentication is written as upstream's failed-authentication filter
 * writes it: one ResponseStarted event with the answer's status (the 401 Status), leveled with
 * an empty user, and nothing else. A long-running request that ends before any answer was written
 * gets upstream's faked `200 Connection closed early` ResponseStarted and ResponseComplete.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { AuditAnnotationSink } from '../admission/types.ts';
import type { GuardObserver } from '../auth/request-guard.ts';
import type { RequestAttributes } from '../auth/request-attributes.ts';
import { requestAttributesOf } from '../request/parsed-request.ts';
import { isLongRunningRequest } from '../request/long-running.ts';
import type { AuditBackend } from './log-backend.ts';
import { microTime } from '../../pkg/util/time.ts';
import { auditUser, objectRef, refFromObject, responseStatus, sourceIps, withoutManagedFields, type AuditEvent, type AuditObjectRef, type AuditResponseStatus } from './event.ts';
import { auditDecision, levelAtLeast, type AuditDecision } from './policy-check.ts';
import type { AuditPolicy, AuditStage } from './policy.ts';

/** What every request's audit record shares. */
export interface AuditEnvironment {
  policy: AuditPolicy;
  backend: AuditBackend;
  /** Milliseconds since the epoch (fractions allowed). */
  now(): number;
}

/** What a request's audit record is started from. */
export interface RequestAuditOptions {
  request: AuditedRequest;
  /** The request's audit ID (`audit-id.ts`), the one its `Audit-Id` response header carries. */
  auditID: string;
  /** The response, watched for its first `writeHead` (ResponseStarted of long-running requests); absent for raw upgrade sockets. */
  response?: ServerResponse;
}

/** How a request ended, for its ResponseComplete. */
export interface RequestCompletion {
  /** The status code answered; undefined when no answer was written (the client went away first). */
  code: number | undefined;
  /** The request body and its content type, recorded at level Request and above. */
  requestContentType?: unknown;
  requestBody?: unknown;
}

/** The parts of the incoming request an event is built from. */
export interface AuditedRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}

/** JSON bodies, and server-side apply patches (YAML, but JSON as kubectl sends them; real YAML is left out). */
const JSON_CONTENT = /^application\/(([a-z-]+\+)?json|apply-patch\+yaml)/i;

/** The JSON document in a body, else undefined. Pure. */
export function jsonBody(contentType: unknown, body: unknown): unknown {
  if (typeof contentType !== 'string' || !JSON_CONTENT.test(contentType)) return undefined;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A request's audit record; see the module comment. */
export class RequestAudit implements AuditAnnotationSink, GuardObserver {
  readonly auditID: string;
  private readonly receivedAt: number;
  private decision: AuditDecision | undefined;
  private attrs: RequestAttributes | undefined;
  private user: UserInfo | undefined;
  private impersonated: UserInfo | undefined;
  private annotations: Record<string, string> | undefined;
  private ref: AuditObjectRef | undefined;
  private requestObject: unknown;
  private responseObject: unknown;
  private responseBody: unknown;
  private longRunning = false;
  private authenticationFailed = false;
  private started = false;
  private completed = false;
  /** The final stage's status when it is not the answer's (upstream's faked and panic statuses). */
  private statusOverride: AuditResponseStatus | undefined;

  private readonly request: AuditedRequest;
  private readonly response: ServerResponse | undefined;

  constructor(
    private readonly env: AuditEnvironment,
    options: RequestAuditOptions,
  ) {
    this.receivedAt = env.now();
    this.request = options.request;
    this.response = options.response;
    this.auditID = options.auditID;
  }

  /** The level this request is audited at (None until decided). */
  get level(): AuditDecision['level'] {
    return this.decision?.level ?? 'None';
  }

  /**
   * Decides the level from the authenticated user (undefined: authentication failed) and writes
   * RequestReceived; later calls do nothing. Long-running responses get ResponseStarted on their
   * first `writeHead` (or from {@link responseStarted} when there is no response object).
   */
  begin(user: UserInfo | undefined): void {
    if (this.decision) return;
    this.user = user;
    const attrs = requestAttributesOf(this.request, user ?? { username: '', groups: [] });
    this.attrs = attrs;
    this.decision = auditDecision(this.env.policy, { ...attrs, user });
    if (this.decision.level === 'None') return;
    if (attrs.resourceRequest) this.ref = objectRef(attrs);
    if (this.authenticationFailed) return;
    this.emit('RequestReceived');
    this.longRunning = isLongRunningRequest(attrs);
    if (this.response && this.longRunning) this.watchResponseStart(this.response);
  }

  /**
   * The response starts with `code`: a long-running request's ResponseStarted (once). For raw
   * upgrade sockets, which have no `writeHead` to watch: an upgrade handed over to the backend
   * starts with 101, as upstream's hijack records it.
   */
  responseStarted(code: number): void {
    if (this.started || !this.longRunning || this.level === 'None') return;
    this.started = true;
    this.emit('ResponseStarted', code);
  }

  /** The guard authenticated the request: the level is decided now, before impersonation and authorization (as upstream). */
  authenticated(user: UserInfo): void {
    this.begin(user);
  }

  /** The guard could not authenticate the request: leveled with no user, audited as upstream's failed-authentication filter (see the module comment). */
  unauthenticated(): void {
    if (this.decision) return;
    this.authenticationFailed = true;
    this.begin(undefined);
  }

  /** The user the request acts as, when it impersonates. */
  impersonating(user: UserInfo): void {
    this.impersonated = user;
  }

  /** Records the authorizer's verdict (upstream's `authorization.k8s.io/decision` and `/reason`). */
  authorized(allowed: boolean, reason: string): void {
    this.add('authorization.k8s.io/decision', allowed ? 'allow' : 'forbid');
    this.add('authorization.k8s.io/reason', reason);
  }

  add(key: string, value: string): void {
    if (this.decision?.level === 'None') return;
    const annotations = (this.annotations ??= {});
    if (!(key in annotations)) annotations[key] = value;
  }

  /** Notes a response body about to be sent (parsed only when the event will hold it or it is a Status). */
  responsePayload(code: number, contentType: unknown, payload: unknown): void {
    // Not yet leveled: authentication failed before the guard learnt a user.
    this.begin(this.user);
    if (!this.decision || this.decision.level === 'None') return;
    if (code < 300 && !levelAtLeast(this.decision.level, 'RequestResponse')) return;
    const body = jsonBody(contentType, payload);
    this.responseBody = body;
    if (levelAtLeast(this.decision.level, 'RequestResponse') && body !== undefined) this.responseObject = this.decision.omitManagedFields ? withoutManagedFields(body) : body;
  }

  /** Writes ResponseComplete (once, and not after Panic), with the request body when the level asks for it. */
  complete(end: RequestCompletion): void {
    if (this.completed) return;
    this.completed = true;
    this.begin(this.user);
    if (this.level === 'None') return;
    if (this.authenticationFailed) {
      // Upstream writes this one event when the 401 is written (its Status already noted).
      const code = end.code ?? 401;
      this.statusOverride = responseStatus(code, this.responseBody);
      this.emit('ResponseStarted', code);
      return;
    }
    let code = end.code;
    if (code === undefined) {
      code = 200;
      this.statusOverride = { metadata: {}, status: 'Success', message: 'Connection closed early', code };
      this.responseStarted(code);
    }
    this.recordRequestBody(end);
    this.emit('ResponseComplete', code);
  }

  /**
   * The request failed unexpectedly — a bug, what upstream's handlers do by panicking: writes the
   * Panic stage (500 InternalError, `APIServer panic'd: <message>`, the request body when the level
   * asks for it) in place of ResponseComplete. Nothing is written after it: the 500 the server then
   * answers is, as upstream's panic recovery's, outside the audited response.
   */
  panicked(failure: { error: unknown } & Omit<RequestCompletion, 'code'>): void {
    if (this.completed) return;
    this.completed = true;
    this.started = true;
    this.begin(this.user);
    if (this.level === 'None') return;
    const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
    this.statusOverride = { metadata: {}, status: 'Failure', message: `APIServer panic'd: ${message}`, reason: 'InternalError', code: 500 };
    this.recordRequestBody(failure);
    this.emit('Panic', 500);
  }

  /** Notes the request body: names the object when the URL does not, and is the event's requestObject at Request and above. */
  private recordRequestBody({ requestContentType, requestBody }: Omit<RequestCompletion, 'code'>): void {
    const decision = this.decision as AuditDecision;
    const body = requestBody === undefined ? undefined : jsonBody(requestContentType, requestBody);
    if (body === undefined) return;
    if (this.ref && this.attrs?.verb !== 'patch') this.ref = refFromObject(this.ref, body);
    if (levelAtLeast(decision.level, 'Request')) this.requestObject = decision.omitManagedFields ? withoutManagedFields(body) : body;
  }

  private watchResponseStart(response: ServerResponse): void {
    const writeHead = response.writeHead;
    const audit = this;
    response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      audit.responseStarted(typeof args[0] === 'number' ? args[0] : response.statusCode);
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
  }

  private emit(stage: AuditStage, code?: number): void {
    const decision = this.decision as AuditDecision;
    if (decision.omitStages.includes(stage)) return;
    const attrs = this.attrs as RequestAttributes;
    const final = stage === 'ResponseComplete' || stage === 'Panic';
    const userAgent = this.request.headers['user-agent'];
    // Every key spelled out in upstream's order; undefined ones are left out of the JSON line.
    const event: AuditEvent = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: decision.level,
      auditID: this.auditID,
      stage,
      requestURI: this.request.url ?? '/',
      verb: attrs.verb,
      user: auditUser(this.user),
      impersonatedUser: this.impersonated && auditUser(this.impersonated),
      sourceIPs: sourceIps(this.request.headers, this.request.socket.remoteAddress),
      userAgent: userAgent || undefined,
      objectRef: this.ref,
      responseStatus: code === undefined ? undefined : (this.statusOverride ?? responseStatus(code, stage === 'RequestReceived' ? undefined : this.responseBody)),
      requestObject: final ? this.requestObject : undefined,
      responseObject: final ? this.responseObject : undefined,
      requestReceivedTimestamp: microTime(this.receivedAt),
      // Upstream stamps RequestReceived with the arrival time, though it is written after authentication.
      stageTimestamp: microTime(stage === 'RequestReceived' ? this.receivedAt : this.env.now()),
      annotations: this.annotations && { ...this.annotations },
    };
    this.env.backend.process(event);
  }
}
