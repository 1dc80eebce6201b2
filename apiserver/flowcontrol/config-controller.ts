/**
 * The part of upstream's APF configuration controller that shows from outside: whenever a
 * FlowSchema or PriorityLevelConfiguration changes, every FlowSchema's `Dangling` condition is
 * brought up to date (False/Found when its priority level exists, True/NotFound otherwise).
 * Every `ensureEveryMs` it also ensures the bootstrap configuration again, as upstream's ensurer
 * does each minute. Watches both prefixes; syncs are coalesced and never overlap; its own status writes trigger one
 * more sync, which finds nothing to change. Each sync's reading is kept as the snapshot requests
 * are classified against (response headers only; nothing is queued or limited).
 */
import type { Logger } from 'pino';
import type { Storage } from '../../pkg/storage/types.ts';
import type { AdmissionContext } from '../admission/types.ts';
import type { ApfSnapshot } from './classify.ts';
import { ensureFlowControlConfiguration, FLOW_SCHEMAS, PRIORITY_LEVELS, storageEnsure, updateDanglingConditions } from '../bootstrap/flowcontrol.ts';
import type { NewObjectMeta } from '../bootstrap/objects.ts';

/** What {@link ApfConfigController} needs: the store, its key scheme, a clock and a logger. */
export interface ApfConfigControllerOptions {
  storage: Storage;
  keyFor: AdmissionContext['keyFor'];
  /** RFC 3339 "now" for lastTransitionTime. */
  now(): string;
  log: Pick<Logger, 'error'>;
  /** Wait before re-watching after a watch failed (default 1 s). */
  retryMs?: number;
  /**
   * How often the bootstrap configuration is ensured again, so a deleted or changed mandatory
   * object comes back (upstream: every minute; default 60 s; 0 = never).
   */
  ensureEveryMs?: number;
  /** Server-set metadata (uid, creationTimestamp) for an object it re-creates. */
  newMeta(): NewObjectMeta;
}

/** Contract: `start()` resolves after the first sync; `close()` stops watching and waits for a running sync. */
export class ApfConfigController {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private again = false;
  private watches: Promise<void>[] = [];
  private current: ApfSnapshot = { schemas: [], levels: [] };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ApfConfigControllerOptions) {}

  async start(): Promise<void> {
    const { storage, keyFor } = this.options;
    const revision = await storage.currentRevision();
    await this.sync();
    this.watches = [FLOW_SCHEMAS, PRIORITY_LEVELS].map((info) => this.follow(keyFor(info, undefined, ''), revision));
    const every = this.options.ensureEveryMs ?? 60_000;
    if (every > 0) this.timer = setInterval(() => void this.ensure(), every);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await Promise.allSettled(this.watches);
    await this.idle();
  }

  /** Resolves when no sync is running or scheduled (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Schedules a sync, coalesced with a running one. */
  trigger(): void {
    if (this.abort.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sync()
      .catch((err) => this.options.log.error({ err }, 'FlowSchema status sync failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** The FlowSchemas and priority levels read by the last sync (for request classification). */
  snapshot(): ApfSnapshot {
    return this.current;
  }

  /** Ensures the bootstrap configuration again (the watches then trigger a status sync). */
  private async ensure(): Promise<void> {
    const { storage, keyFor, now, newMeta } = this.options;
    await ensureFlowControlConfiguration({ ctx: { storage, keyFor }, ensure: storageEnsure(storage), meta: newMeta, now: now() })
      .catch((err) => this.options.log.error({ err }, 'APF bootstrap configuration ensure failed'));
  }

  private async sync(): Promise<void> {
    this.current = await updateDanglingConditions({ storage: this.options.storage, keyFor: this.options.keyFor }, this.options.now());
  }

  private async follow(prefix: string, fromRevision: number): Promise<void> {
    const { signal } = this.abort;
    let revision = fromRevision;
    while (!signal.aborted) {
      try {
        for await (const event of this.options.storage.watch(prefix, revision, signal)) {
          revision = Math.max(revision, event.revision);
          this.trigger();
        }
      } catch (err) {
        if (signal.aborted) return;
        this.options.log.error({ err, prefix }, 'APF configuration watch failed');
        revision = await this.options.storage.currentRevision().catch(() => revision);
        this.trigger();
      }
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 1000));
    }
  }
}
