/**
 * The message of an exited container, as upstream's kuberuntime builds it: the runtime's own
 * message, then (after `: `) what the container wrote to its `terminationMessagePath` file (the
 * last 4096 bytes), or — with `terminationMessagePolicy: FallbackToLogsOnError`, a non-zero exit
 * and an empty file — the last 80 lines of its log, at most their last 2048 bytes. The file is
 * found among the container's mounts by its container path (the kubelet mounted it there).
 */
import { open, readFile } from 'node:fs/promises';
import type { ContainerStatus } from '../cri/types.ts';
import { renderLog } from '../server/cri-log.ts';
import { ANNOTATION_TERMINATION_MESSAGE_PATH, ANNOTATION_TERMINATION_MESSAGE_POLICY } from './types.ts';

/** Upstream's limits: bytes of the message file, lines and bytes of the log fallback. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const MAX_TERMINATION_LOG_LINES = 80;
export const MAX_TERMINATION_LOG_BYTES = 2048;

/** The last `max` bytes of a file. */
async function readTail(path: string, max: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, max);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return buffer.toString();
  } finally {
    await file.close();
  }
}

/** What the log fallback reads: the last lines of a CRI log file, their last bytes. */
async function readLogTail(logPath: string): Promise<string> {
  try {
    const { output } = renderLog(await readFile(logPath, 'utf8'), { timestamps: false, tailLines: MAX_TERMINATION_LOG_LINES });
    const bytes = Buffer.from(output);
    return bytes.subarray(Math.max(0, bytes.length - MAX_TERMINATION_LOG_BYTES)).toString();
  } catch (err) {
    return `Error on reading termination message from logs: ${(err as Error).message}`;
  }
}

/** The message to report for an exited container's status (`status.message` enriched). */
export async function exitedContainerMessage(status: ContainerStatus): Promise<string> {
  const path = status.annotations?.[ANNOTATION_TERMINATION_MESSAGE_PATH] ?? '';
  const fallback = status.annotations?.[ANNOTATION_TERMINATION_MESSAGE_POLICY] === 'FallbackToLogsOnError' && status.exitCode !== 0 && status.reason !== 'ContainerCannotRun';
  let message = '';
  let checkLogs = fallback;
  const hostPath = path ? status.mounts?.find((m) => m.containerPath === path)?.hostPath : undefined;
  if (hostPath) {
    try {
      message = await readTail(hostPath, MAX_TERMINATION_MESSAGE_BYTES);
      checkLogs = fallback && message.length === 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') checkLogs = fallback;
      else {
        message = `Error on reading termination log ${hostPath}: ${(err as Error).message}`;
        checkLogs = false;
      }
    }
  }
  if (checkLogs && status.logPath) message = await readLogTail(status.logPath);
  if (!message) return status.message ?? '';
  return status.message ? `${status.message}: ${message}` : message;
}
