/**
 * The bounded, revision-ordered event log behind `MemoryStorage`: what a compacting etcd keeps
 * between its compaction revision and now. Entries are immutable (values are JSON text).
 */

/** A key's stored state. */
export interface StoredValue {
  text: string;
  createRevision: number;
  modRevision: number;
}

/** One change, at its own revision. `value` is absent for deletes; `prev` absent for creates. */
export interface HistoryEntry {
  key: string;
  revision: number;
  value?: StoredValue;
  prev?: StoredValue;
}

export class EventHistory {
  private entries: HistoryEntry[] = [];
  private head = 0;
  /** Revisions below this have been discarded (etcd's compact revision); 0 = nothing discarded. */
  compactRevision = 0;

  constructor(private readonly maxEntries: number) {}

  append(entry: HistoryEntry): void {
    this.entries.push(entry);
    while (this.entries.length - this.head > this.maxEntries) this.dropOldest();
    this.reclaim();
  }

  /** Drops every entry with revision < `revision`. */
  compact(revision: number): void {
    while (this.head < this.entries.length && this.entries[this.head]!.revision < revision) this.head++;
    if (revision > this.compactRevision) this.compactRevision = revision;
    this.reclaim();
  }

  /** Entries with revision > `revision`, oldest first. */
  after(revision: number): HistoryEntry[] {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }

  private dropOldest(): void {
    const dropped = this.entries[this.head++]!;
    if (dropped.revision + 1 > this.compactRevision) this.compactRevision = dropped.revision + 1;
  }

  private reclaim(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
