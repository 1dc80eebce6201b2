/**
 * The path and query of an incoming HTTP request, read safely: a request target that is not a
 * valid origin-form URL (`//`, `http://[`) or a path segment with a broken percent-escape
 * (`%ZZ`) is the client's mistake, to be answered with 400, never an exception thrown in a
 * request handler (which would end the process). Pure.
 */

/** `req.url` as a URL on a placeholder origin; undefined when it is not a valid request target. */
export function parseRequestTarget(raw: string | undefined): URL | undefined {
  const target = raw ?? '/';
  // Origin-form only: a leading `//` would otherwise be taken for an authority.
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://request${target}`);
  } catch {
    return undefined;
  }
}

/** `decodeURIComponent` of each segment; undefined when one holds a broken escape. */
export function decodePathSegments(segments: readonly string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
