/**
 * Serialises each watch event once for all watchers: the watch cache hands every watcher the
 * same frozen object, so its JSON line is computed on first use and reused (held weakly, it
 * goes away with the object).
 */
const lines = new WeakMap<object, Map<string, string>>();

/** `{"type":…,"object":…}\n` for a watch stream; memoised for frozen (shared) objects. */
export function encodeWatchEventLine(type: string, object: object): string {
  if (!Object.isFrozen(object)) return `${JSON.stringify({ type, object })}\n`;
  let byType = lines.get(object);
  if (!byType) {
    byType = new Map();
    lines.set(object, byType);
  }
  let line = byType.get(type);
  if (line === undefined) {
    line = `${JSON.stringify({ type, object })}\n`;
    byType.set(type, line);
  }
  return line;
}
