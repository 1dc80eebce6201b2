/**
 * The JSONPath subset CRD `additionalPrinterColumns` use (upstream restricts them to "simple"
 * paths): `.a.b`, `.a[0]`, `.a['k.x']`, `.a[*].b`, and filters `[?(@.type=="Ready")]`.
 * `compileJsonPath` throws on anything else, with a message naming the path.
 */

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; value: string | number | boolean };

export interface CompiledJsonPath {
  /** Every value the path selects (empty when nothing matches). */
  find(obj: unknown): unknown[];
}

const FIELD = /^\.([A-Za-z0-9_$-]+)/;
const INDEX = /^\[(-?\d+)\]/;
const QUOTED = /^\[['"]([^'"]+)['"]\]/;
const ALL = /^\[\*\]/;
const FILTER = /^\[\?\(@((?:\.[A-Za-z0-9_$-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|(true|false))\)\]/;

/** Parses a path like `.status.conditions[?(@.type=="Ready")].status` (braces `{…}` allowed around it). */
export function compileJsonPath(path: string): CompiledJsonPath {
  let rest = path.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: Step[] = [];
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = FIELD.exec(rest))) steps.push({ kind: 'field', name: m[1]! });
    else if ((m = INDEX.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = QUOTED.exec(rest))) steps.push({ kind: 'field', name: m[1]! });
    else if ((m = ALL.exec(rest))) steps.push({ kind: 'all' });
    else if ((m = FILTER.exec(rest))) {
      const value = m[2] ?? m[3] ?? (m[4] !== undefined ? Number(m[4]) : m[5] === 'true');
      steps.push({ kind: 'filter', path: m[1]!.slice(1).split('.'), value });
    } else throw new Error(`unsupported JSONPath ${JSON.stringify(path)} at ${JSON.stringify(rest)}`);
    rest = rest.slice(m[0].length);
  }
  return { find: (obj) => steps.reduce<unknown[]>((values, step) => values.flatMap((v) => apply(step, v)), [obj]) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function apply(step: Step, v: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isObject(v) && v[step.name] !== undefined ? [v[step.name]] : [];
    case 'index': {
      if (!Array.isArray(v)) return [];
      const i = step.index < 0 ? v.length + step.index : step.index;
      return i >= 0 && i < v.length ? [v[i]] : [];
    }
    case 'all':
      return Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
    case 'filter':
      return Array.isArray(v) ? v.filter((item) => step.path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), item) === step.value) : [];
  }
}
