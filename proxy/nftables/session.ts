/**
 * A long-lived `nft -i` process for small transactions. Starting `nft` costs ~10–20 ms on this
 * kind of machine before it reads a byte (dynamic linking, netlink setup, cache fill), which is
 * most of a one-endpoint change; an interactive session pays it once. `nft -i` runs every input
 * line as one atomic batch, so a delta payload is sent as one line of `;`-separated commands,
 * followed by a `describe` command whose fixed output marks the end of the reply. stderr is
 * merged into stdout (`2>&1`), so an error always precedes its marker.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Starts a long-lived process with piped stdio. Injected so tests and benches can target a network namespace. */
export type Spawn = (cmd: string, args: readonly string[]) => ChildProcessWithoutNullStreams;

/** Spawn on this host, or inside the named network namespace via `nsenter --net`. */
export function hostSpawn(netns?: string): Spawn {
  return (cmd, args) => (netns ? spawn('nsenter', [`--net=/run/netns/${netns}`, cmd, ...args]) : spawn(cmd, [...args]));
}

/** The command whose output marks the end of a reply: offline (no netlink), fixed text. */
export const MARKER_COMMAND = 'describe meta mark';
/** The start of what `nft` prints for {@link MARKER_COMMAND}. */
export const MARKER_OUTPUT = 'meta expression, datatype mark';

/** Largest payload sent through the session; bigger ones go through `nft -f -`. */
export const SESSION_MAX_PAYLOAD = 256 * 1024;

/**
 * A delta payload (one command per line) as one interactive input line, i.e. one transaction;
 * undefined when it cannot be: a `{ … }` block spans lines (a full payload), or it is too big.
 */
export function interactiveLine(payload: string): string | undefined {
  if (payload.length > SESSION_MAX_PAYLOAD) return undefined;
  const lines = payload.split('\n').filter((l) => l.trim() !== '');
  let depth = 0;
  for (const l of lines) {
    for (const ch of l) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth !== 0) return undefined;
  }
  return lines.join('; ');
}

/**
 * The reply to one transaction from the session's output so far: undefined until the marker line
 * has arrived; otherwise what nft printed before it and whether that holds no `Error:` (success).
 */
export function parseReply(output: string): { ok: boolean; message: string; rest: string } | undefined {
  const at = output.indexOf(MARKER_OUTPUT);
  if (at < 0) return undefined;
  const eol = output.indexOf('\n', at);
  if (eol < 0) return undefined;
  const message = output.slice(0, at).trim();
  return { ok: !message.includes('Error:'), message, rest: output.slice(eol + 1) };
}

/**
 * One `nft -i` process, started on first use and again after it died. `run` sends one delta
 * payload as one transaction; it rejects (and kills the process) when nft does not answer
 * within `timeoutMs` or exits, and resolves `{ ok: false, message }` when nft refused the batch.
 */
export class NftSession {
  private child: ChildProcessWithoutNullStreams | undefined;
  private output = '';
  private waiter: ((reply: { ok: boolean; message: string }) => void) | undefined;
  private failer: ((err: Error) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly spawnFn: Spawn,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Run `line` (see {@link interactiveLine}) as one transaction. Calls are serialized. */
  run(line: string): Promise<{ ok: boolean; message: string }> {
    const next = this.queue.then(() => this.runNow(line));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runNow(line: string): Promise<{ ok: boolean; message: string }> {
    const child = this.ensure();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`nft -i gave no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiter = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.failer = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      child.stdin.write(`${line}\n${MARKER_COMMAND}\n`);
    });
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = this.spawnFn('sh', ['-c', 'exec nft -i 2>&1']);
    this.child = child;
    this.output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.output += d;
      const reply = parseReply(this.output);
      if (!reply) return;
      this.output = reply.rest;
      const w = this.waiter;
      this.waiter = this.failer = undefined;
      w?.({ ok: reply.ok, message: reply.message });
    });
    child.stdin.on('error', () => undefined);
    const gone = (why: string) => {
      // A process already replaced (killed after a timeout) fails nobody.
      if (this.child !== child) return;
      this.child = undefined;
      const f = this.failer;
      this.waiter = this.failer = undefined;
      f?.(new Error(`nft -i ${why}${this.output ? `: ${this.output.trim()}` : ''}`));
    };
    child.on('error', (err) => gone(`failed: ${err.message}`));
    child.on('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    return child;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** End the process (its stdin is closed, so nft exits by itself; killed if it lingers). */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin.end();
    const t = setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 1000);
    t.unref();
    child.unref();
  }
}
