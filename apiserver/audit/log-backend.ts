/**
 * The audit log backend (`--audit-log-path`): events are written as JSON lines, one per event,
 * to a rotating file or to stdout (`-`). Writing is asynchronous and bounded: `process` only
 * serialises the event and queues it; one flush at a time appends everything queued. When more
 * than `maxQueuedEvents` wait (the disk cannot keep up), further events are dropped and counted
 * (upstream's blocking mode would stall the request instead; its batch mode drops as well).
 */
import type { Logger } from 'pino';
import type { AuditEvent } from './event.ts';
import { RotatingFile, type RotationLimits } from './rotation.ts';

/** Where audit events go. */
export interface AuditBackend {
  /** Queues an event; never throws and never waits. */
  process(event: AuditEvent): void;
  /** Writes everything queued (resolves once it is on disk or failed). */
  flush(): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
  /** Events dropped because the queue was full. */
  readonly dropped: number;
}

/** Something lines can be appended to (a rotating file, stdout). */
export interface LineSink {
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createLogBackend}. */
export interface LogBackendOptions {
  /** A file path, or `-` for stdout. */
  path: string;
  rotation: RotationLimits;
  /** Events queued at most before new ones are dropped (default 10 000). */
  maxQueuedEvents?: number;
  /** The server's own logger (write failures and drops are reported there). */
  log?: Logger;
  now?: () => Date;
}

const stdoutSink: LineSink = {
  write: (data) => new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve()))),
  close: async () => {},
};

/** A backend appending JSON lines to `sink`. */
export function createLineBackend(sink: LineSink, options: Pick<LogBackendOptions, 'maxQueuedEvents' | 'log'> = {}): AuditBackend {
  const max = options.maxQueuedEvents ?? 10_000;
  let queue: string[] = [];
  let dropped = 0;
  let reportedDrops = 0;
  let flushing: Promise<void> | undefined;
  let scheduled = false;

  const drain = async (): Promise<void> => {
    // Events queued while a write is under way go out with the next pass of this loop.
    while (queue.length) {
      const lines = queue;
      queue = [];
      try {
        await sink.write(Buffer.from(lines.join(''), 'utf8'));
      } catch (err) {
        options.log?.error({ err, events: lines.length }, 'audit log write failed');
      }
    }
    if (dropped > reportedDrops) {
      options.log?.warn({ dropped: dropped - reportedDrops }, 'audit events dropped: queue full');
      reportedDrops = dropped;
    }
  };
  const flush = (): Promise<void> => {
    flushing ??= drain().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };
  return {
    process(event) {
      if (queue.length >= max) {
        dropped++;
        return;
      }
      queue.push(`${JSON.stringify(event)}\n`);
      if (scheduled || flushing) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void flush();
      });
    },
    async flush() {
      while (flushing || queue.length) await flush();
    },
    async close() {
      await this.flush();
      await sink.close();
    },
    get dropped() {
      return dropped;
    },
  };
}

/** The `--audit-log-*` backend; the file is opened (and its directory created) before this resolves. */
export async function createLogBackend(options: LogBackendOptions): Promise<AuditBackend> {
  if (options.path === '-') return createLineBackend(stdoutSink, options);
  const file = new RotatingFile(options.path, options.rotation, options.now);
  await file.open();
  return createLineBackend(file, options);
}
