import { spawn } from 'node:child_process';

/** Result of running a command. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Standard input of a command: a string, or chunks written as they come (with backpressure), so
 * the command can start reading before the whole input exists.
 */
export type ExecInput = string | AsyncIterable<string>;

/**
 * Runs a command with optional stdin. Injected so tests and benches can target a network
 * namespace. If a chunked `stdin` throws, the command is killed and the promise rejects with
 * that error.
 */
export type Exec = (cmd: string, args: readonly string[], stdin?: ExecInput) => Promise<ExecResult>;

/**
 * A command started before its input exists: it waits on stdin until {@link LaunchedCommand.feed}
 * (Node forks this whole process to start a command, which blocks its thread for ~5–30 ms
 * depending on its memory; a command launched while the thread is idle takes that cost off the
 * path of the work that later feeds it).
 */
export interface LaunchedCommand {
  /**
   * Write `stdin` (whole, or chunks as they come) and close it; resolves with the result once the
   * command exits. Call at most once. If a chunked `stdin` throws, the command is killed and the
   * promise rejects with that error.
   */
  feed(stdin?: ExecInput): Promise<ExecResult>;
  /**
   * End a command that was never fed: its stdin is closed, so a tool reading it sees no input and
   * exits. Resolves with its result once it has exited.
   */
  cancel(): Promise<ExecResult>;
}

/** Starts a command that waits for {@link LaunchedCommand.feed}. */
export type Launch = (cmd: string, args: readonly string[]) => LaunchedCommand;

/**
 * Start commands on this host; when `netns` is set, inside that named network namespace via
 * `nsenter --net=/run/netns/<netns>` (only the network namespace is entered: unlike
 * `ip netns exec` it sets up no mount namespace, which saves ~2–5 ms per call).
 */
export function hostLaunch(netns?: string): Launch {
  return (cmd, args) => {
    const [c, a] = netns ? ['nsenter', [`--net=/run/netns/${netns}`, cmd, ...args]] : [cmd, [...args]];
    const child = spawn(c, a, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => undefined); // the tool may exit before reading all input
    let inputError: unknown;
    let closed = false;
    const result = new Promise<ExecResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        closed = true;
        if (inputError !== undefined) reject(inputError);
        else resolve({ code: code ?? -1, stdout, stderr });
      });
    });
    result.catch(() => undefined); // a command cancelled or never fed may fail unobserved
    return {
      feed(stdin) {
        if (stdin === undefined || typeof stdin === 'string') {
          child.stdin.end(stdin ?? '');
          return result;
        }
        void (async () => {
          try {
            for await (const chunk of stdin) {
              if (closed) return;
              // As UTF-8: V8 encodes a chunk (a rope of rule lines) straight into the write, while
              // checking it for ASCII first to write it as latin1 flattened it and cost ~8× more.
              child.stdin.write(chunk, 'utf8');
              // Keep producing while the tool reads (waking up on every drain costs a scheduler
              // round trip per chunk on a busy machine); only a large backlog waits. The yield lets
              // the event loop move queued chunks into the pipe.
              if (child.stdin.writableLength > MAX_BACKLOG) await writable(child);
              else await new Promise<void>((resolve) => setImmediate(resolve));
            }
            child.stdin.end();
          } catch (err) {
            inputError = err;
            child.kill('SIGKILL');
          }
        })();
        return result;
      },
      cancel() {
        child.stdin.end();
        return result;
      },
    };
  };
}

/** Run a command on this host (or in `netns`): {@link hostLaunch} fed at once. */
export function hostExec(netns?: string): Exec {
  const launch = hostLaunch(netns);
  return (cmd, args, stdin) => launch(cmd, args).feed(stdin);
}

/** Bytes of streamed input queued for a command before its producer waits for the pipe to drain. */
const MAX_BACKLOG = 16 << 20;

/** Resolves when the child's stdin has drained or the child has gone. */
function writable(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      child.stdin!.off('drain', done);
      child.off('close', done);
      resolve();
    };
    child.stdin!.once('drain', done);
    child.once('close', done);
  });
}

/** Which iptables backend the proxier drives. */
export type IptablesBackend = 'legacy' | 'nft';

/** The small iptables interface the proxier uses. */
export interface Iptables {
  readonly backend: IptablesBackend;
  /**
   * `iptables-restore --noflush` of a payload holding one or more tables, given whole or in
   * chunks (the tool parses them as they arrive). Throws on failure with stderr.
   */
  restore(payload: ExecInput): Promise<void>;
  /** `iptables-save -t <table>`; every table when `table` is ''. */
  save(table: string): Promise<string>;
  /** `iptables -t <table> <args>`; resolves to the exit code. */
  run(table: string, args: readonly string[]): Promise<number>;
  /**
   * Start the processes the next `restore` and the next `save('')` will use, when they are not
   * started yet, so that those calls do not pay for starting a process (see {@link LaunchedCommand}).
   * The restore tool reads the tables only once it is fed, and the save is held back until it is
   * asked for, so both act on the tables as they are then. Call while the thread is otherwise idle.
   * Without a launcher this does nothing.
   */
  prepare(): void;
  /** End the processes {@link Iptables.prepare} started and not yet used; resolves once they have exited. */
  close(): Promise<void>;
}

/**
 * Pick the backend: legacy is preferred because its restore cost is linear in the payload, while
 * the nf_tables backend of iptables-restore grows quadratically with the number of chains (see the
 * measured floors in the environment notes). Falls back to iptables-nft when legacy is missing.
 * With `launch`, {@link Iptables.prepare} starts the next restore and save ahead.
 */
export async function detectIptables(exec: Exec, launch?: Launch): Promise<Iptables> {
  const legacy = await exec('iptables-legacy-save', ['-t', 'nat']).catch(() => undefined);
  const prefix = legacy && legacy.code === 0 ? 'iptables-legacy' : 'iptables-nft';
  const backend: IptablesBackend = prefix === 'iptables-legacy' ? 'legacy' : 'nft';
  const restoreArgs = ['--noflush', '--counters'];
  let ready: { restore?: LaunchedCommand; save?: LaunchedCommand } = {};
  return {
    backend,
    async restore(payload) {
      const started = ready.restore;
      ready.restore = undefined;
      const r = started ? await started.feed(payload) : await exec(`${prefix}-restore`, restoreArgs, payload);
      if (r.code !== 0) throw new Error(`${prefix}-restore failed (${r.code}): ${r.stderr.trim()}`);
    },
    async save(table) {
      const started = table === '' ? ready.save : undefined;
      if (started) ready.save = undefined;
      const r = started ? await started.feed('\n') : await exec(`${prefix}-save`, table === '' ? [] : ['-t', table]);
      if (r.code !== 0) throw new Error(`${prefix}-save failed (${r.code}): ${r.stderr.trim()}`);
      return r.stdout;
    },
    async run(table, args) {
      return (await exec(prefix, ['-w', '-t', table, ...args])).code;
    },
    prepare() {
      if (!launch) return;
      ready.restore ??= launch(`${prefix}-restore`, restoreArgs);
      // The save is held back by a shell that waits for one line, then becomes the save.
      ready.save ??= launch('sh', ['-c', 'read -r _ && exec "$@"', 'sh', `${prefix}-save`]);
    },
    async close() {
      const started = [ready.restore, ready.save];
      ready = {};
      await Promise.all(started.map((c) => c?.cancel().catch(() => undefined)));
    },
  };
}

/** Chain names declared in iptables-save output (`:NAME policy [p:b]`). One regex pass: the output of a large table is megabytes. */
export function chainsInSave(saved: string): string[] {
  return Array.from(saved.matchAll(/^:(\S+)/gm), (m) => m[1]!);
}
