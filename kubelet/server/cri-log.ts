/**
 * CRI container log files (`<RFC3339Nano> <stdout|stderr> <F|P> <content>`) turned into what
 * `kubectl logs` shows: content only, or with the timestamp when `timestamps=true`; partial
 * (`P`) lines are joined with the following line. Pure.
 */

/** One parsed line. */
export interface CriLogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: string;
}

/** Parses one line of a CRI log file (undefined for a malformed line). */
export function parseCriLogLine(line: string): CriLogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/.exec(line);
  if (!m) return undefined;
  return { time: m[1], stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', content: m[4] };
}

/** What the reader honours of PodLogOptions. */
export interface LogFilter {
  timestamps: boolean;
  /** Only lines at or after this instant (ms). */
  sinceMs?: number;
  /** Only the last N lines. */
  tailLines?: number;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

/** Renders complete log entries from file text (partial trailing entry excluded and returned). */
export function renderLog(text: string, filter: LogFilter): { output: string; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  const entries: string[] = [];
  let pending = '';
  for (const raw of lines) {
    const line = parseCriLogLine(raw);
    if (!line) continue;
    if (filter.sinceMs !== undefined && Date.parse(line.time) < filter.sinceMs) continue;
    pending += line.content;
    if (line.partial) continue;
    entries.push(filter.timestamps ? `${line.time} ${pending}\n` : `${pending}\n`);
    pending = '';
  }
  const chosen = filter.tailLines !== undefined ? entries.slice(Math.max(0, entries.length - filter.tailLines)) : entries;
  let output = chosen.join('');
  if (filter.limitBytes !== undefined && Buffer.byteLength(output) > filter.limitBytes) output = Buffer.from(output).subarray(0, filter.limitBytes).toString();
  return { output, rest };
}
