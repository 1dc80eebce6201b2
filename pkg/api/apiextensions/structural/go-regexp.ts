/**
 * Compiles the Go (RE2) regular expressions of `pattern` into JavaScript ones. Covers the RE2
 * spellings CRDs commonly use: leading flag groups (`(?i)`, `(?s)`, `(?m)`), `\A` / `\z`,
 * `\Q…\E`, POSIX classes (`[[:alpha:]]`, not negated), one-letter Unicode classes (`\pL`) and `(?P<name>…)`.
 * Error text is `error parsing regexp: ` plus the JavaScript engine's reason (Go's wording
 * differs).
 */

/** A compiled pattern, or why it does not compile. */
export type CompiledRegexp = { ok: true; re: RegExp } | { ok: false; error: string };

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, CompiledRegexp>();

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function translate(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  source = source.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, lit: string) => escapeLiteral(lit));
  source = source.replace(/\[:([a-z]+):\]/g, (m, name: string) => posixClasses[name] ?? m);
  source = source.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^');
  source = source.replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2$');
  source = source.replace(/(^|[^\\])((?:\\\\)*)\\([pP])([A-Z])/g, '$1$2\\$3{$4}');
  source = source.replace(/\(\?P</g, '(?<');
  return { source, flags };
}

/** Compiles a Go regular expression; results are cached per pattern. */
export function compileGoRegexp(pattern: string): CompiledRegexp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const { source, flags } = translate(pattern);
  let result: CompiledRegexp;
  try {
    result = { ok: true, re: new RegExp(source, `${flags}u`) };
  } catch {
    try {
      result = { ok: true, re: new RegExp(source, flags) };
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
      result = { ok: false, error: `error parsing regexp: ${reason}` };
    }
  }
  cache.set(pattern, result);
  return result;
}
