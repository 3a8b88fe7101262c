// Recursive-descent parser for the SOQL subset in ast.ts. Like Salesforce, it refuses AND and OR
// mixed at one level without parentheses ("a AND b OR c" is MALFORMED_QUERY there too).
import { parseDateTime, isDate } from '../datetime.js';
import type { CompareOp, Condition, FieldRef, Literal, OrderItem, SoqlQuery } from './ast.js';
import { SoqlSyntaxError, tokenize, type Token } from './tokenize.js';

const RESERVED = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'in', 'like', 'order', 'by', 'limit', 'offset', 'asc', 'desc', 'nulls', 'first', 'last', 'null', 'true', 'false', 'group', 'having', 'includes', 'excludes']);

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private isKeyword(word: string, t = this.peek()): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private unexpected(t = this.peek()): never {
    throw new SoqlSyntaxError(`unexpected token: ${t.kind === 'string' ? `'${t.text}'` : t.text}`, t.pos);
  }
  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.unexpected();
    return this.next();
  }
  private expectPunct(p: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) this.unexpected();
    this.i++;
  }

  parse(): SoqlQuery {
    this.expectKeyword('select');
    let count = false;
    const fields: FieldRef[] = [];
    if (this.isKeyword('count') && this.tokens[this.i + 1]?.text === '(') {
      this.i++;
      this.expectPunct('(');
      this.expectPunct(')');
      count = true;
    } else {
      do fields.push(this.fieldRef());
      while (this.peek().text === ',' && this.next());
    }
    this.expectKeyword('from');
    const objectToken = this.next();
    if (objectToken.kind !== 'ident' || objectToken.text.includes('.') || RESERVED.has(objectToken.text.toLowerCase())) this.unexpected(objectToken);
    const query: SoqlQuery = { text: this.text, count, fields, object: { name: objectToken.text, pos: objectToken.pos }, orderBy: [] };
    if (this.isKeyword('where')) {
      this.i++;
      query.where = this.condition();
    }
    if (this.isKeyword('order')) {
      this.i++;
      this.expectKeyword('by');
      do query.orderBy.push(this.orderItem());
      while (this.peek().text === ',' && this.next());
    }
    if (this.isKeyword('limit')) {
      this.i++;
      query.limit = this.nonNegativeInt();
    }
    if (this.isKeyword('offset')) {
      this.i++;
      query.offset = this.nonNegativeInt();
    }
    if (this.peek().kind !== 'eof') this.unexpected();
    return query;
  }

  private nonNegativeInt(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.unexpected(t);
    return Number(t.text);
  }

  private fieldRef(): FieldRef {
    const t = this.next();
    if (t.kind !== 'ident' || RESERVED.has(t.text.toLowerCase())) this.unexpected(t);
    return { path: t.text.split('.'), pos: t.pos };
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef();
    let descending = false;
    if (this.isKeyword('asc')) this.i++;
    else if (this.isKeyword('desc')) {
      this.i++;
      descending = true;
    }
    let nullsLast = descending; // Salesforce default: NULLS FIRST ascending, NULLS LAST descending
    if (this.isKeyword('nulls')) {
      this.i++;
      if (this.isKeyword('first')) nullsLast = false;
      else if (this.isKeyword('last')) nullsLast = true;
      else this.unexpected();
      this.i++;
    }
    return { field, descending, nullsLast };
  }

  private condition(): Condition {
    const first = this.unary();
    const joiner = this.isKeyword('and') ? 'and' : this.isKeyword('or') ? 'or' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.isKeyword(joiner)) {
      this.i++;
      items.push(this.unary());
    }
    if (this.isKeyword(joiner === 'and' ? 'or' : 'and')) this.unexpected();
    return { kind: joiner, items };
  }

  private unary(): Condition {
    if (this.isKeyword('not')) {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    if (this.peek().text === '(' && this.peek().kind === 'punct') {
      this.i++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.fieldRef();
    const t = this.peek();
    if (t.kind === 'op') {
      this.i++;
      return { kind: 'compare', field, op: t.text as CompareOp, value: this.literal() };
    }
    if (this.isKeyword('like')) {
      this.i++;
      return { kind: 'like', field, pattern: this.literal() };
    }
    let negate = false;
    if (this.isKeyword('not') && this.isKeyword('in', this.tokens[this.i + 1])) {
      this.i++;
      negate = true;
    }
    if (this.isKeyword('in')) {
      this.i++;
      this.expectPunct('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.peek().text === ',' && this.next());
      this.expectPunct(')');
      return { kind: 'in', field, negate, values };
    }
    return this.unexpected();
  }

  private literal(): Literal {
    const t = this.next();
    const pos = t.pos;
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.text, pos };
      case 'number':
        return { kind: 'number', value: Number(t.text), pos };
      case 'date':
        if (!isDate(t.text)) throw new SoqlSyntaxError(`Invalid date: ${t.text}`, pos);
        return { kind: 'date', value: t.text, pos };
      case 'datetime': {
        const ms = parseDateTime(t.text);
        if (ms === undefined) throw new SoqlSyntaxError(`Invalid datetime: ${t.text}`, pos);
        return { kind: 'datetime', value: ms, text: t.text, pos };
      }
      case 'ident': {
        const word = t.text.toLowerCase();
        if (word === 'null') return { kind: 'null', pos };
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', pos };
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }
}

/** Parses SOQL text; throws SoqlSyntaxError (→ MALFORMED_QUERY) with the column of the problem. */
export function parseSoql(text: string): SoqlQuery {
  return new Parser(tokenize(text), text).parse();
}
