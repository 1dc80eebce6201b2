/**
 * A Go doc comment as upstream's OpenAPI generator turns it into a `description`: marker lines
 * (`+optional`, `+listType=map`) and one-line TODOs dropped, everything from the first `---` on
 * dropped, lines of a paragraph joined with spaces, blank lines kept as paragraph breaks
 * (`\n\n`), and an indented line (a list item, an example) set on a line of its own with its
 * indentation. Pure.
 */
export function formatDocComment(lines: readonly string[]): string {
  let out = '';
  // Upstream cuts the comment at its first `---`, wherever it stands.
  for (const raw of lines.join('\n').split('---')[0]!.split('\n')) {
    const line = raw.trimEnd();
    const leading = line.trimStart();
    if (line === '') {
      out = `${out.replace(/[ \n]$/, '')}\n\n`;
    } else if (leading.startsWith('+') || leading.startsWith('TODO')) {
      continue;
    } else if (line !== leading) {
      out = `${out.replace(/[ \n]$/, '')}\n${line}\n`;
    } else {
      out += `${line} `;
    }
  }
  return out.trim();
}
