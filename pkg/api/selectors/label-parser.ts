/**
 * The label selector string grammar (upstream `labels.Parse`): a lexer and a recursive-descent
 * parser with upstream's error messages, e.g.
 * `a=b,c!=d,e in (x,y),f notin (z),g,!h`, `a==b`, `n>3`.
 */
import { aggregateText, SelectorParseError } from './errors.ts';
import { newRequirement, validateLabelKey, type LabelOperator, type LabelRequirement } from './requirement.ts';

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const KEYWORDS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

interface Item {
  tok: Token;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch) && ch !== '';

/** Splits the selector into tokens exactly as upstream's lexer does. */
export function lexLabelSelector(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos])) pos++;
    if (pos >= text.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(text[pos])) {
      let buffer = '';
      let last: Item | undefined;
      while (pos < text.length && isSpecial(text[pos])) {
        buffer += text[pos];
        const tok = KEYWORDS.get(buffer);
        if (tok) last = { tok, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      while (pos < text.length && !isSpecial(text[pos]) && !isWhitespace(text[pos])) buffer += text[pos++];
      const tok = KEYWORDS.get(buffer);
      items.push({ tok: tok ?? 'identifier', lit: buffer });
    }
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  private view(item: Item, context: Context): Item {
    if (context === 'values' && (item.tok === 'in' || item.tok === 'notin')) return { tok: 'identifier', lit: item.lit };
    return item;
  }

  lookahead(context: Context): Item {
    return this.view(this.items[this.position], context);
  }

  consume(context: Context): Item {
    return this.view(this.items[this.position++], context);
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      if (tok === 'end') return reqs;
      if (tok !== 'identifier' && tok !== '!') throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirementOrThrow());
      const next = this.consume('values');
      if (next.tok === 'end') return reqs;
      if (next.tok !== ',') throw new SelectorParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== 'identifier' && after.tok !== '!') throw new SelectorParseError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirementOrThrow(): LabelRequirement {
    try {
      return this.requirement();
    } catch (err) {
      if (err instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${err.message}`, err.causes);
      throw err;
    }
  }

  private requirement(): LabelRequirement {
    const { key, operator } = this.keyAndInferredOperator();
    if (operator) return newRequirement(key, operator, []);
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private keyAndInferredOperator(): { key: string; operator?: 'exists' | '!' } {
    let operator: 'exists' | '!' | undefined;
    let item = this.consume('values');
    if (item.tok === '!') {
      operator = '!';
      item = this.consume('values');
    }
    if (item.tok !== 'identifier') throw new SelectorParseError(`found '${item.lit}', expected: identifier`);
    const keyErrors = validateLabelKey(item.lit, '');
    if (keyErrors.length) throw new SelectorParseError(aggregateText(keyErrors), keyErrors);
    const next = this.lookahead('values').tok;
    if ((next === 'end' || next === ',') && operator !== '!') operator = 'exists';
    return { key: item.lit, operator };
  }

  private operator(): LabelOperator {
    const { tok, lit } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorParseError(`found '${lit}', expected: '=', '!=', '==', 'in', notin'`);
    }
  }

  private setValues(): Set<string> {
    const open = this.consume('values');
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead('values');
    if (tok === ')') {
      this.consume('values');
      return new Set(['']);
    }
    if (tok !== 'identifier' && tok !== ',') throw new SelectorParseError(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.consume('values').tok !== ')') throw new SelectorParseError(`found '${lit}', expected: ')'`);
    return values;
  }

  private identifierList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume('values');
      if (tok === 'identifier') {
        values.add(lit);
        const next = this.lookahead('values');
        if (next.tok === ',') continue;
        if (next.tok === ')') return values;
        throw new SelectorParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new SelectorParseError(`found '${lit}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead('values').tok;
      if (next === ')') {
        values.add('');
        return values;
      }
      if (next === ',') {
        this.consume('values');
        values.add('');
      }
    }
  }

  private exactValue(): Set<string> {
    const { tok } = this.lookahead('values');
    if (tok === 'end' || tok === ',') return new Set(['']);
    const item = this.consume('values');
    if (item.tok === 'identifier') return new Set([item.lit]);
    throw new SelectorParseError(`found '${item.lit}', expected: identifier`);
  }
}

/**
 * Parses a label selector string into requirements sorted by key (stable), as upstream's
 * `labels.ParseToRequirements`. Throws {@link SelectorParseError} with upstream's message.
 */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  const reqs = new Parser(lexLabelSelector(text)).parse();
  return reqs.map((r, i) => ({ r, i })).sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i)).map(({ r }) => r);
}
