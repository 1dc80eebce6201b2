import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, isNotFound, isTimeout, isTooManyRequests } from '../errors/index.ts';
import { encodeQuery, isRetriable, RestClient, retryDelayMs } from './rest.ts';
import { errorFromResponse } from './response-errors.ts';
import { sendJson, startTestServer, statusBody, type TestServer } from './test-server.ts';

let server: TestServer;
let client: RestClient;
beforeEach(async () => {
  server = await startTestServer();
  client = new RestClient({ connection: { server: server.url, namespace: 'default', token: 'sekret' }, qps: Infinity, maxRetries: 3 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

describe('pure helpers', () => {
  it.each([
    ['GET', 429, false, true],
    ['POST', 429, false, true],
    ['GET', 503, false, true],
    ['PUT', 500, false, true],
    ['POST', 500, false, false],
    ['PATCH', 503, false, false],
    ['GET', 501, false, false],
    ['GET', 404, false, false],
    ['DELETE', undefined, true, true],
    ['POST', undefined, true, false],
  ] as const)('%s %s network=%s → retriable %s', (method, statusCode, networkError, expected) => {
    expect(isRetriable(method, { statusCode, networkError })).toBe(expected);
  });

  it.each([
    [0, undefined, 100],
    [3, undefined, 800],
    [20, undefined, 10_000],
    [0, 2, 2000],
  ])('retry %i with Retry-After %s waits %i ms', (attempt, retryAfter, expected) => {
    expect(retryDelayMs(attempt, retryAfter)).toBe(expected);
  });

  it('encodes queries, repeating arrays and dropping undefined', () => {
    expect(encodeQuery({ a: 1, b: undefined, c: ['x', 'y'], d: 'a=b' })).toBe('?a=1&c=x&c=y&d=a%3Db');
    expect(encodeQuery({})).toBe('');
  });

  it.each([
    [404, JSON.stringify(statusBody(404, 'NotFound', 'pods "x" not found')), 'NotFound', 'pods "x" not found'],
    [404, 'nope', 'NotFound', 'the server could not find the requested resource'],
    [409, '', 'Conflict', 'the server reported a conflict'],
    [500, 'boom', 'InternalError', 'an error on the server ("boom") has prevented the request from succeeding'],
    [418, '', '', 'the server responded with the status code 418 but did not return more information'],
  ])('HTTP %i %j → %s', (code, body, reason, message) => {
    const err = errorFromResponse(code, body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(code);
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(message);
  });
});

describe('RestClient', () => {
  it('sends JSON with bearer token and parses the answer', async () => {
    server.handle((req, res) => sendJson(res, 201, { echo: JSON.parse(req.body), auth: req.headers.authorization, ct: req.headers['content-type'] }));
    const out = await client.request<{ echo: unknown; auth: string; ct: string }>({ method: 'POST', path: '/x', body: { a: 1 } });
    expect(out).toEqual({ echo: { a: 1 }, auth: 'Bearer sekret', ct: 'application/json' });
  });

  it('turns a Status body into an ApiError', async () => {
    server.handle((_req, res) => sendJson(res, 404, statusBody(404, 'NotFound', 'configmaps "a" not found')));
    const err = await client.request<never>({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/a' }).catch((e: unknown) => e as ApiError);
    expect(isNotFound(err)).toBe(true);
    expect(err.message).toBe('configmaps "a" not found');
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls < 3) sendJson(res, 429, statusBody(429, 'TooManyRequests', 'slow down'), { 'retry-after': '0' });
      else sendJson(res, 200, { ok: true });
    });
    expect(await client.request({ method: 'POST', path: '/x', body: {} })).toEqual({ ok: true });
    expect(calls).toBe(3);
  });

  it('gives up after maxRetries with the last error', async () => {
    server.handle((_req, res) => sendJson(res, 429, statusBody(429, 'TooManyRequests', 'slow down'), { 'retry-after': '0' }));
    const err = await client.request<never>({ method: 'GET', path: '/x' }).catch((e: unknown) => e as ApiError);
    expect(isTooManyRequests(err)).toBe(true);
    expect(server.requests.length).toBe(4);
  });

  it('does not retry a 500 on POST', async () => {
    server.handle((_req, res) => sendJson(res, 500, statusBody(500, 'InternalError', 'boom')));
    const err = await client.request<never>({ method: 'POST', path: '/x', body: {} }).catch((e: unknown) => e as ApiError);
    expect(err.code).toBe(500);
    expect(server.requests.length).toBe(1);
  });

  it('times out with a Timeout ApiError', async () => {
    server.handle(() => {
      /* never answers */
    });
    const err = await client.request<never>({ method: 'POST', path: '/slow', body: {}, timeoutMs: 50 }).catch((e: unknown) => e as ApiError);
    expect(isTimeout(err)).toBe(true);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    server.handle(() => {
      /* never answers */
    });
    const ac = new AbortController();
    const p = client.request({ method: 'GET', path: '/slow', signal: ac.signal });
    setTimeout(() => ac.abort(new Error('cancelled by test')), 20);
    await expect(p).rejects.toThrow('cancelled by test');
  });

  it('reports an unreachable server as ServiceUnavailable', async () => {
    const dead = new RestClient({ connection: { server: 'http://127.0.0.1:1', namespace: 'default' }, maxRetries: 0 });
    const err = await dead.request<never>({ method: 'GET', path: '/' }).catch((e: unknown) => e as ApiError);
    await dead.close();
    expect(err).toBeInstanceOf(ApiError);
    expect(err.reason).toBe('ServiceUnavailable');
  });
});
