/**
 * `--workers N`: the API server as N processes sharing one listening socket (node:cluster; the
 * primary accepts and hands connections round-robin to the workers). Each worker is a whole API
 * server with its own watch caches on the same etcd — upstream's highly-available API servers,
 * on one machine — so the server uses more than one core. The primary serves nothing: it starts
 * the workers, turns SIGTERM or SIGINT into one SIGTERM to each (workers ignore SIGINT, which a
 * terminal sends to the whole process group), and exits with them. A worker that dies while the
 * others serve takes the whole server down (exit code 1), for the supervisor to restart.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** Whether this process is one of several API server workers (its storage is then shared). */
export function isApiServerWorker(): boolean {
  return cluster.isWorker;
}

/**
 * In the primary: runs `count` workers (this same command line) until they exit or a signal
 * stops them; resolves with the exit code the primary should use. Not to be called in a worker.
 */
export async function runWorkers(count: number, log: Logger): Promise<number> {
  const workers: Worker[] = Array.from({ length: count }, () => cluster.fork());
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: count }, 'stopping workers');
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let failed = false;
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', (code, signal) => {
            if (!stopping) {
              failed = true;
              log.error({ pid: w.process.pid, code, signal }, 'API server worker exited; stopping the others');
              stop('SIGTERM');
            }
            resolve();
          });
        }),
    ),
  );
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return failed ? 1 : 0;
}

/** In a worker: aborts on SIGTERM (from the primary); SIGINT is left to the primary. */
export function workerShutdownSignal(log: Logger): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => {
    log.info({ signal: 'SIGTERM' }, 'shutting down');
    controller.abort(new Error('received SIGTERM'));
  });
  return controller.signal;
}

/** In a worker, once it has shut down: closes the channel to the primary, which otherwise keeps the process alive. */
export function leaveWorkers(): void {
  if (cluster.isWorker) process.disconnect?.();
}
