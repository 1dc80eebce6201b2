/**
 * Progress of a long benchmark phase: on a TTY one line rewritten in place (`\r`), otherwise a
 * plain line at most every `plainEveryMs` (and at the end), so logs stay readable.
 */

/** `label [#####-----] 1234/5000 25% 310/s extra`; pure. `width` is the bar's cell count. */
export function formatProgress(p: { label: string; done: number; total: number; perSecond?: number; extra?: string; width?: number }): string {
  const width = p.width ?? 30;
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const filled = Math.round(fraction * width);
  const parts = [p.label, `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`, `${p.done}/${p.total}`, `${Math.floor(fraction * 100)}%`];
  if (p.perSecond !== undefined) parts.push(`${p.perSecond.toFixed(0)}/s`);
  if (p.extra) parts.push(p.extra);
  return parts.join(' ');
}

/** A writable stream as far as progress needs one. */
export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** One progress display; `update` as often as you like, `done` once. */
export class Progress {
  private lastPlain: number;
  private readonly started: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly plainEveryMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.lastPlain = -Infinity;
  }

  update(done: number, extra?: string): void {
    const line = formatProgress({ label: this.label, done, total: this.total, perSecond: done / Math.max(0.001, (this.now() - this.started) / 1000), extra });
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}`);
      return;
    }
    if (this.now() - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = this.now();
    this.stream.write(`${line}\n`);
  }

  done(done: number, extra?: string): void {
    const line = formatProgress({ label: this.label, done, total: this.total, perSecond: done / Math.max(0.001, (this.now() - this.started) / 1000), extra });
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }
}
