/**
 * A rendering of the difference between two versions of a struct in the shape of go-cmp's
 * `cmp.Diff`, which upstream appends to some immutability messages (a PersistentVolume's source,
 * a PersistentVolumeClaim's spec). go-cmp deliberately varies its whitespace between runs, so no
 * client can depend on the exact text; this keeps its layout: a `  <type>{` header, one
 * `- \t<Field>: <old>,` / `+ \t<Field>: <new>,` pair per changed field, `... // N identical fields`
 * for runs of unchanged ones, and a closing `  }`.
 */
import { deepEqual } from './common-rules.ts';

/** One field of the struct: the Go field name and the JSON key it is serialised under. */
export interface GoField {
  goName: string;
  jsonName: string;
}

/** A value in Go's literal style: `nil`, `"text"`, `{"a", "b"}`, `&{...}` for objects. */
export function goValue(value: unknown, pointer = false): string {
  if (value === undefined || value === null) return 'nil';
  const amp = pointer ? '&' : '';
  if (typeof value === 'string') return `${amp}${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${amp}${String(value)}`;
  if (Array.isArray(value)) return `{${value.map((v) => goValue(v)).join(', ')}}`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `${amp}{${entries.map(([k, v]) => `${k}: ${goValue(v)}`).join(', ')}}`;
}

/**
 * The go-cmp style diff of `old` → `next` over `fields` (pure). `pointers` lists the JSON keys
 * that are Go pointers (printed `&"x"`). Empty when nothing differs.
 */
export function goStructDiff(typeName: string, fields: readonly GoField[], old: Record<string, unknown> | undefined, next: Record<string, unknown> | undefined, pointers: readonly string[] = []): string {
  const a = old ?? {};
  const b = next ?? {};
  const lines = [`  ${typeName}{`];
  let same = 0;
  let changed = false;
  const flush = () => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const { goName, jsonName } of fields) {
    if (deepEqual(a[jsonName], b[jsonName])) {
      same++;
      continue;
    }
    changed = true;
    flush();
    const ptr = pointers.includes(jsonName);
    lines.push(`- \t${goName}: ${goValue(a[jsonName], ptr)},`, `+ \t${goName}: ${goValue(b[jsonName], ptr)},`);
  }
  if (!changed) return '';
  flush();
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
