/** For the API server's own tests: one request through `app.inject()`, its JSON answer parsed. */
import type { ApiServer } from '../server.ts';

/** The status code and parsed JSON body of one injected request (a JSON body sent with `contentType`). */
export async function injectJson(server: ApiServer, method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await server.app.inject({ method: method as 'GET', url, payload: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': contentType } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
