/**
 * `/healthz`, `/livez` and `/readyz` as upstream's healthz package serves them: each endpoint runs
 * its named checks; all passing answers `ok` (`?verbose`: one `[+]<name> ok` line per check and
 * `<endpoint> check passed`); a failure always answers verbosely with 500, `[-]<name> failed:
 * reason withheld` and `<endpoint> check failed`. `?exclude=<name>` skips a check
 * (`[+]<name> excluded: ok`, a warning line for names that match none). Each check also has its
 * own path, `/<endpoint>/<name>`: `ok`, or 500 `internal server error: <why>`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** One named check: resolves when healthy, rejects with the reason otherwise. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/** What one endpoint answers. */
export interface HealthResponse {
  status: 200 | 500;
  body: string;
}

/** The endpoint's answer for checks already run (`failures`: name → reason). Pure. */
export function renderHealth(endpoint: string, names: readonly string[], failures: ReadonlyMap<string, string>, options: { verbose: boolean; excluded: readonly string[] }): HealthResponse {
  const excluded = new Set(options.excluded);
  let lines = '';
  let failed = false;
  for (const name of names) {
    if (excluded.delete(name)) lines += `[+]${name} excluded: ok\n`;
    else if (failures.has(name)) {
      lines += `[-]${name} failed: reason withheld\n`;
      failed = true;
    } else lines += `[+]${name} ok\n`;
  }
  if (excluded.size > 0) lines += `warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((n) => `"${n}"`).join(',')}\n`;
  if (failed) return { status: 500, body: `${lines}${endpoint} check failed\n` };
  return { status: 200, body: options.verbose ? `${lines}${endpoint} check passed\n` : 'ok' };
}

/** Registers `/<endpoint>` and `/<endpoint>/<check>` for each endpoint's checks. */
export function registerHealthEndpoints(app: FastifyInstance, endpoints: Readonly<Record<string, readonly HealthCheck[]>>): void {
  const text = (reply: FastifyReply, status: number, body: string) => reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(body);
  for (const [endpoint, checks] of Object.entries(endpoints)) {
    app.get(`/${endpoint}`, async (req: FastifyRequest, reply) => {
      const query = new URL(req.url, 'http://x').searchParams;
      const excluded = query.getAll('exclude');
      const failures = new Map<string, string>();
      await Promise.all(checks.filter((c) => !excluded.includes(c.name)).map((c) => c.check().catch((err: unknown) => void failures.set(c.name, (err as Error).message))));
      const { status, body } = renderHealth(endpoint, checks.map((c) => c.name), failures, { verbose: query.has('verbose'), excluded });
      return text(reply, status, body);
    });
    for (const c of checks) {
      app.get(`/${endpoint}/${c.name}`, async (_req, reply) => {
        try {
          await c.check();
          return text(reply, 200, 'ok');
        } catch (err) {
          return text(reply, 500, `internal server error: ${(err as Error).message}\n`);
        }
      });
    }
  }
}
