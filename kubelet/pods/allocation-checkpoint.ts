/**
 * The resources the kubelet granted each pod, kept in `<rootDir>/allocated_pods_state` (upstream's
 * checkpoint name) so that a restarted kubelet keeps its decisions: a resize still pending stays
 * pending, and one made while it was down is decided, not granted unseen.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ContainerAllocation, PodAllocation } from './resize.ts';

const ResourceList = z.record(z.string(), z.union([z.string(), z.number()]));
const CheckpointSchema = z.object({
  version: z.literal(1),
  pods: z.record(z.string(), z.record(z.string(), z.object({ requests: ResourceList, limits: ResourceList }))),
});

/** The checkpoint's file under a kubelet root directory. */
export function allocationCheckpointPath(rootDir: string): string {
  return join(rootDir, 'allocated_pods_state');
}

/**
 * Reads and writes the checkpoint. `load` never throws (a missing file is empty, an unreadable one
 * is logged and ignored); `save` writes atomically (temporary file, then rename) and coalesces:
 * while a write is under way, later saves collapse into one more write of the newest state.
 */
export class AllocationCheckpoint {
  private writing: Promise<void> | undefined;
  private next: ReadonlyMap<string, PodAllocation> | undefined;

  constructor(
    private readonly file: string,
    private readonly log?: Logger,
  ) {}

  load(): Map<string, PodAllocation> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return new Map();
    }
    const parsed = CheckpointSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      this.log?.warn({ file: this.file }, 'ignoring an unreadable pod allocation checkpoint');
      return new Map();
    }
    const out = new Map<string, PodAllocation>();
    for (const [uid, containers] of Object.entries(parsed.data.pods)) {
      out.set(uid, new Map(Object.entries(containers).map(([name, a]) => [name, a as ContainerAllocation])));
    }
    return out;
  }

  save(all: ReadonlyMap<string, PodAllocation>): void {
    this.next = all;
    this.writing ??= this.drain();
  }

  /** Resolves once every save so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const pods: Record<string, Record<string, ContainerAllocation>> = {};
      for (const [uid, allocation] of this.next) pods[uid] = Object.fromEntries(allocation);
      this.next = undefined;
      const tmp = `${this.file}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ version: 1, pods }));
        await rename(tmp, this.file);
      } catch (err) {
        this.log?.warn({ err, file: this.file }, 'writing the pod allocation checkpoint failed');
      }
    }
    this.writing = undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
