/**
 * The HTTP layer every client call goes through: TLS and credentials from a {@link Connection},
 * client-side QPS limiting, retries with backoff, timeouts, cancellation, Status errors.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { Agent, request, type Dispatcher } from 'undici';
import { ApiError } from '../errors/index.ts';
import { realClock, sleep, TokenBucket, type Clock } from '../workqueue/index.ts';
import type { Connection } from './kubeconfig.ts';
import { deadline } from './deadline.ts';
import { errorFromResponse, parseRetryAfter } from './response-errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** Query values; arrays repeat the key, `undefined` is left out. */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** One request. `body` is sent as JSON unless it is already a string/Buffer. */
export interface RestRequest {
  method: HttpMethod;
  /** Absolute path from the server root, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Query;
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Overrides the client's request timeout (0 = none). */
  timeoutMs?: number;
}

export interface RestClientOptions {
  connection: Connection;
  /** Requests per second (default 5, as client-go); `Infinity` or a value ≤ 0 disables limiting. */
  qps?: number;
  /** Burst above qps (default 10). */
  burst?: number;
  /** Per-request timeout in ms for non-streaming calls (default 60 000; 0 = none). */
  timeoutMs?: number;
  /** Retries of a retriable failure (default 5). */
  maxRetries?: number;
  userAgent?: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * Connections to the server for ordinary requests (default 32); further requests queue for a
   * free one instead of opening thousands of sockets under load. Streams (watches, logs) hold
   * their connection for long, so they use a separate, unbounded pool.
   */
  maxConnections?: number;
  /** A custom undici dispatcher for everything (default: the two pools above, with the connection's TLS settings). */
  dispatcher?: Dispatcher;
}

/** A streaming response (watch, logs): the status was 2xx; iterate `body`, abort to stop. */
export interface RestStream {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const MAX_BACKOFF_MS = 10_000;

/** Builds the query string (`?a=1&b=x&b=y`), '' when empty. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Whether a failed attempt may be retried. Pure. 429 always (the server did not process it),
 * 5xx and connection errors only for idempotent methods.
 */
export function isRetriable(method: HttpMethod, failure: { statusCode?: number; networkError?: boolean }): boolean {
  if (failure.statusCode === 429) return true;
  if (!IDEMPOTENT.has(method)) return false;
  if (failure.networkError) return true;
  return failure.statusCode !== undefined && failure.statusCode >= 500 && failure.statusCode !== 501;
}

/** Delay before retry `attempt` (0-based): Retry-After when given, else 100 ms · 2^attempt, capped. */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, MAX_BACKOFF_MS * 6);
  return Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS);
}

function timeoutError(method: string, url: string, ms: number): ApiError {
  return new ApiError({ code: 504, reason: 'Timeout', message: `the client timed out after ${ms}ms waiting for ${method} ${url}` });
}

function networkError(method: string, url: string, err: unknown): ApiError {
  const e = err as { code?: string; message?: string };
  return new ApiError({ code: 503, reason: 'ServiceUnavailable', message: `${method} ${url}: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`, cause: err });
}

/**
 * Contract: `request` resolves with the parsed JSON body of a 2xx response (or `undefined` for
 * an empty one) and rejects with an {@link ApiError} for any failure — the server's `Status`
 * when it sent one, `Timeout` (504) when the client's timeout expired, `ServiceUnavailable`
 * (503) for a connection failure — or with the signal's reason when the caller aborted.
 * Every attempt first waits for a QPS token. Retriable failures (see {@link isRetriable}) are
 * retried up to `maxRetries` times with backoff, honouring `Retry-After`.
 */
export class RestClient {
  readonly connection: Connection;
  private readonly dispatcher: Dispatcher;
  private readonly streamDispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly bucket: TokenBucket | undefined;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly userAgent: string;
  private readonly logger: Logger | undefined;
  private cachedToken: { value: string; readAt: number } | undefined;

  constructor(options: RestClientOptions) {
    this.connection = options.connection;
    this.clock = options.clock ?? realClock;
    const qps = options.qps ?? 5;
    this.bucket = Number.isFinite(qps) && qps > 0 ? new TokenBucket(qps, Math.max(1, options.burst ?? 10), this.clock) : undefined;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.userAgent = options.userAgent ?? 'k8ts-client/v0.1.0';
    this.logger = options.logger;
    this.ownsDispatcher = !options.dispatcher;
    const connect = {
      ca: this.connection.ca,
      cert: this.connection.cert,
      key: this.connection.key,
      rejectUnauthorized: !this.connection.insecureSkipTLSVerify,
      servername: this.connection.tlsServerName,
    };
    this.dispatcher = options.dispatcher ?? new Agent({ connect, connections: options.maxConnections ?? 32 });
    this.streamDispatcher = options.dispatcher ?? new Agent({ connect });
  }

  /** Sends a request and parses the JSON answer (see the class contract). */
  async request<T = unknown>(req: RestRequest): Promise<T> {
    const res = await this.send(req, false);
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      throw networkError(req.method, req.path, err);
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ApiError({ code: 500, reason: 'InternalError', message: `invalid JSON in response to ${req.method} ${req.path}: ${(err as Error).message}`, cause: err });
    }
  }

  /** Opens a streaming request; the 2xx body is handed over unread. Errors as for `request`. */
  async stream(req: RestRequest): Promise<RestStream> {
    const res = await this.send(req, true);
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  }

  /** Closes the connection pools (only ones this client created). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await Promise.all([this.dispatcher.close(), this.streamDispatcher.close()]);
  }

  private async send(req: RestRequest, streaming: boolean): Promise<Dispatcher.ResponseData> {
    const url = `${this.connection.server}${req.path}${encodeQuery(req.query)}`;
    for (let attempt = 0; ; attempt++) {
      if (this.bucket) await this.bucket.wait(req.signal);
      const outcome = await this.attempt(req, url, streaming);
      if ('response' in outcome) return outcome.response;
      const { error, statusCode, retryAfter, networkFailure } = outcome;
      if (attempt >= this.maxRetries || !isRetriable(req.method, { statusCode, networkError: networkFailure })) throw error;
      const delay = retryDelayMs(attempt, retryAfter);
      this.logger?.debug({ method: req.method, url, statusCode, attempt, delay }, 'retrying request');
      await sleep(this.clock, delay, req.signal);
    }
  }

  private async attempt(
    req: RestRequest,
    url: string,
    streaming: boolean,
  ): Promise<{ response: Dispatcher.ResponseData } | { error: Error; statusCode?: number; retryAfter?: number; networkFailure?: boolean }> {
    const timeoutMs = req.timeoutMs ?? (streaming ? 0 : this.timeoutMs);
    // Covers the body too: it ends once the body has been read (or the request failed).
    const limit = deadline(req.signal, timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: req.method,
        headers: this.headers(req),
        body: this.encodeBody(req.body),
        dispatcher: streaming ? this.streamDispatcher : this.dispatcher,
        signal: limit.signal,
        bodyTimeout: streaming ? 0 : undefined,
      });
    } catch (err) {
      limit.done();
      if (req.signal?.aborted) throw req.signal.reason;
      if (limit.timedOut()) return { error: timeoutError(req.method, url, timeoutMs) };
      return { error: networkError(req.method, url, err), networkFailure: true };
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      response.body.once('close', limit.done);
      return { response };
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      return { error: networkError(req.method, url, err), networkFailure: true };
    } finally {
      limit.done();
    }
    const header = response.headers['retry-after'];
    const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header);
    return { error: errorFromResponse(response.statusCode, text, Array.isArray(header) ? header[0] : header), statusCode: response.statusCode, retryAfter };
  }

  private headers(req: RestRequest): Record<string, string> {
    const headers: Record<string, string> = { accept: req.accept ?? 'application/json', 'user-agent': this.userAgent };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    else if (this.connection.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.connection.username}:${this.connection.password ?? ''}`).toString('base64')}`;
    }
    return headers;
  }

  /** The bearer token; a tokenFile is re-read at most once a minute (as client-go does). */
  private token(): string | undefined {
    if (this.connection.token) return this.connection.token;
    const file = this.connection.tokenFile;
    if (!file) return undefined;
    const now = this.clock.now();
    if (this.cachedToken && now - this.cachedToken.readAt < 60_000) return this.cachedToken.value;
    try {
      this.cachedToken = { value: readFileSync(file, 'utf8').trim(), readAt: now };
    } catch (err) {
      this.logger?.warn({ err, file }, 'cannot read token file');
    }
    return this.cachedToken?.value;
  }

  private encodeBody(body: unknown): string | Buffer | undefined {
    if (body === undefined) return undefined;
    if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
    return JSON.stringify(body);
  }
}
