/**
 * Log rotation as lumberjack (what upstream's log backend writes through) does it: a file that
 * would grow past `maxSizeMb` megabytes (0: 100) is renamed to `<name>-<UTC time>.<ext>` (time
 * as `2006-01-02T15-04-05.000`) and a new one started; backups beyond the newest `maxBackups`
 * (0: all kept) or older than `maxAgeDays` days (0: no limit) are removed. Compression is not
 * done. The pure rules live here; {@link RotatingFile} does the I/O.
 */
import { mkdirSync } from 'node:fs';
import { open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** Rotation limits (`--audit-log-maxsize`, `--audit-log-maxbackup`, `--audit-log-maxage`). */
export interface RotationLimits {
  maxSizeMb: number;
  maxBackups: number;
  maxAgeDays: number;
}

const MB = 1024 * 1024;
const DEFAULT_MAX_SIZE_MB = 100;

/** The backup time format `2006-01-02T15-04-05.000` (UTC). Pure. */
function backupStamp(at: Date): string {
  return at.toISOString().slice(0, -1).replace(/:/g, '-');
}

/** Where `path` is moved when rotated at `at`. Pure. */
export function backupName(path: string, at: Date): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}-${backupStamp(at)}${ext}`);
}

/** The rotation time of a backup of `path` named `file` (a name in the same directory), else undefined. Pure. */
export function backupTime(path: string, file: string): Date | undefined {
  const ext = extname(path);
  const prefix = `${basename(path, ext)}-`;
  if (!file.startsWith(prefix) || !file.endsWith(ext)) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/.exec(file.slice(prefix.length, file.length - ext.length));
  if (!m) return undefined;
  const t = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** The backups (file names) to remove: beyond the newest `maxBackups`, or older than `maxAgeDays`. Pure. */
export function backupsToRemove(backups: ReadonlyArray<{ file: string; time: Date }>, limits: Pick<RotationLimits, 'maxBackups' | 'maxAgeDays'>, now: Date): string[] {
  const newestFirst = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime());
  const cutoff = limits.maxAgeDays > 0 ? now.getTime() - limits.maxAgeDays * 24 * 3600 * 1000 : undefined;
  return newestFirst.filter((b, i) => (limits.maxBackups > 0 && i >= limits.maxBackups) || (cutoff !== undefined && b.time.getTime() < cutoff)).map((b) => b.file);
}

/** An append-only file that rotates itself (one writer: callers must not overlap `write` calls). */
export class RotatingFile {
  private handle: FileHandle | undefined;
  private size = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly path: string,
    private readonly limits: RotationLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.maxBytes = (limits.maxSizeMb > 0 ? limits.maxSizeMb : DEFAULT_MAX_SIZE_MB) * MB;
  }

  /** Creates the directory (0700) and opens the file (0600) for appending, as upstream does at start-up. */
  async open(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.handle = await open(this.path, 'a', 0o600);
    this.size = (await stat(this.path)).size;
  }

  /** Appends `data`, rotating first when it would make the file outgrow the limit. */
  async write(data: Buffer): Promise<void> {
    if (!this.handle) await this.open();
    if (this.size > 0 && this.size + data.length > this.maxBytes) await this.rotate();
    await (this.handle as FileHandle).write(data);
    this.size += data.length;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async rotate(): Promise<void> {
    await this.close();
    await rename(this.path, backupName(this.path, this.now()));
    await this.open();
    await this.prune();
  }

  private async prune(): Promise<void> {
    if (this.limits.maxBackups <= 0 && this.limits.maxAgeDays <= 0) return;
    const dir = dirname(this.path);
    const backups = (await readdir(dir)).flatMap((file) => {
      const time = backupTime(this.path, file);
      return time ? [{ file, time }] : [];
    });
    for (const file of backupsToRemove(backups, this.limits, this.now())) await unlink(join(dir, file)).catch(() => {});
  }
}
