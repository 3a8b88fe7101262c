// A small GAQL parser: SELECT fields FROM resource [WHERE c AND c ...] [ORDER BY f [ASC|DESC], ...]
// [LIMIT n] [PARAMETERS ...]. Enough for reporting connectors; OR does not exist in GAQL either.

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'IN' | 'NOT IN' | 'BETWEEN' | 'DURING' | 'LIKE' | 'NOT LIKE';
export type Literal = string | number;

export interface Condition {
  field: string;
  op: Operator;
  values: Literal[];
}

export interface GaqlQuery {
  select: string[];
  from: string;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  limit?: number;
}

/** A query problem, named like the QueryError enum of the real API. */
export class GaqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly trigger?: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'word' | 'string' | 'number' | 'symbol'; text: string; pos: number };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_.]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(!=|>=|<=|[=<>,()]))/y;
  let pos = 0;
  while (pos < query.length) {
    if (/^\s*$/.test(query.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(query);
    if (!m) {
      const rest = query.slice(pos).trim();
      if (rest.startsWith("'") || rest.startsWith('"')) throw new GaqlError('STRING_NOT_TERMINATED', `Error in query: unterminated string at ${pos}.`, rest);
      throw new GaqlError('BAD_SYMBOL', `Error in query: unexpected input ${rest.slice(0, 20)}.`, rest.slice(0, 20));
    }
    const at = pos;
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'word', text: m[1], pos: at });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2].replace(/\\(.)/g, '$1'), pos: at });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3].replace(/\\(.)/g, '$1'), pos: at });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', text: m[4], pos: at });
    else tokens.push({ kind: 'symbol', text: m[5]!, pos: at });
  }
  return tokens;
}

class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new GaqlError('UNEXPECTED_END_OF_QUERY', 'Error in query: unexpected end of query.');
    return t;
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i++;
    return true;
  }
  acceptSymbol(symbol: string): boolean {
    const t = this.peek();
    if (t?.kind !== 'symbol' || t.text !== symbol) return false;
    this.i++;
    return true;
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

const fieldPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

function field(c: Cursor, clause: string): string {
  const t = c.next();
  if (t.kind !== 'word' || !fieldPattern.test(t.text)) {
    throw new GaqlError('BAD_FIELD_NAME', `Error in ${clause} clause: invalid field name '${t.text}'.`, t.text);
  }
  return t.text;
}

function literal(c: Cursor): Literal {
  const t = c.next();
  if (t.kind === 'string') return t.text;
  if (t.kind === 'number') return Number(t.text);
  if (t.kind === 'word') return t.text; // enum constants (ENABLED) and date constants (LAST_7_DAYS)
  throw new GaqlError('BAD_VALUE', `Error in WHERE clause: invalid value '${t.text}'.`, t.text);
}

function list(c: Cursor): Literal[] {
  if (!c.acceptSymbol('(')) throw new GaqlError('EXPECTED_LIST', 'Error in WHERE clause: expected a list like (a, b).');
  const values: Literal[] = [];
  if (c.acceptSymbol(')')) throw new GaqlError('PROHIBITED_EMPTY_LIST_IN_CONDITION', 'Error in WHERE clause: empty list.');
  do values.push(literal(c));
  while (c.acceptSymbol(','));
  if (!c.acceptSymbol(')')) throw new GaqlError('UNEXPECTED_INPUT', "Error in WHERE clause: expected ')'.");
  return values;
}

function condition(c: Cursor): Condition {
  const f = field(c, 'WHERE');
  const t = c.next();
  if (t.kind === 'symbol' && ['=', '!=', '>', '>=', '<', '<='].includes(t.text)) {
    return { field: f, op: t.text as Operator, values: [literal(c)] };
  }
  const word = t.kind === 'word' ? t.text.toUpperCase() : '';
  if (word === 'IN') return { field: f, op: 'IN', values: list(c) };
  if (word === 'NOT' && c.acceptKeyword('IN')) return { field: f, op: 'NOT IN', values: list(c) };
  if (word === 'NOT' && c.acceptKeyword('LIKE')) return { field: f, op: 'NOT LIKE', values: [literal(c)] };
  if (word === 'LIKE') return { field: f, op: 'LIKE', values: [literal(c)] };
  if (word === 'DURING') return { field: f, op: 'DURING', values: [literal(c)] };
  if (word === 'BETWEEN') {
    const low = literal(c);
    if (!c.acceptKeyword('AND')) throw new GaqlError('EXPECTED_AND', 'Error in WHERE clause: BETWEEN needs AND.');
    return { field: f, op: 'BETWEEN', values: [low, literal(c)] };
  }
  throw new GaqlError('BAD_OPERATOR', `Error in WHERE clause: invalid operator '${t.text}'.`, t.text);
}

export function parseGaql(query: string): GaqlQuery {
  const c = new Cursor(tokenize(query));
  if (!c.acceptKeyword('SELECT')) throw new GaqlError('EXPECTED_SELECT', 'Error in query: expected SELECT.');
  const select: string[] = [];
  do select.push(field(c, 'SELECT'));
  while (c.acceptSymbol(','));
  if (!c.acceptKeyword('FROM')) throw new GaqlError('EXPECTED_FROM', 'Error in query: expected FROM.');
  const from = c.next();
  if (from.kind !== 'word' || !/^[a-z][a-z0-9_]*$/.test(from.text)) {
    throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in FROM clause: invalid resource name '${from.text}'.`, from.text);
  }
  const where: Condition[] = [];
  if (c.acceptKeyword('WHERE')) {
    do where.push(condition(c));
    while (c.acceptKeyword('AND'));
  }
  const orderBy: GaqlQuery['orderBy'] = [];
  if (c.acceptKeyword('ORDER')) {
    if (!c.acceptKeyword('BY')) throw new GaqlError('EXPECTED_BY', 'Error in ORDER BY clause: expected BY.');
    do {
      const f = field(c, 'ORDER BY');
      const desc = c.acceptKeyword('DESC');
      if (!desc) c.acceptKeyword('ASC');
      orderBy.push({ field: f, desc });
    } while (c.acceptSymbol(','));
  }
  let limit: number | undefined;
  if (c.acceptKeyword('LIMIT')) {
    const t = c.next();
    const n = Number(t.text);
    if (t.kind !== 'number' || !Number.isInteger(n)) throw new GaqlError('BAD_LIMIT_VALUE', `Error in LIMIT clause: '${t.text}'.`, t.text);
    if (n <= 0) throw new GaqlError('LIMIT_VALUE_TOO_LOW', 'Error in LIMIT clause: the limit must be positive.', t.text);
    limit = n;
  }
  if (c.acceptKeyword('PARAMETERS')) while (!c.done()) c.next(); // include_drafts etc.: accepted, ignored
  if (!c.done()) {
    const t = c.next();
    throw new GaqlError('UNEXPECTED_INPUT', `Error in query: unexpected input '${t.text}'.`, t.text);
  }
  return { select, from: from.text, where, orderBy, limit };
}
