// Splits SOQL text into tokens. Date and datetime literals are unquoted in SOQL, so they are
// recognised before numbers (2024-01-01 would otherwise read as a number and two negatives).
export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string; // for strings: the unescaped value
  pos: number; // 1-based column
}

export class SoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '%': '\\%', _: '\\_' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i + 1;
    const rest = text.slice(i);
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SoqlSyntaxError("line 1:" + i + " mismatched character '<EOF>' expecting '''", pos);
        const c = text[j]!;
        if (c === '\\') {
          const next = text[j + 1] ?? '';
          const mapped = ESCAPES[next];
          if (mapped === undefined) throw new SoqlSyntaxError(`Invalid string literal '${text.slice(i, j + 2)}'. Illegal character sequence '\\${next}' in string literal.`, pos);
          value += mapped; // \% and \_ stay escaped so LIKE can tell them from wildcards
          j += 2;
          continue;
        }
        if (c === "'") break;
        value += c;
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos });
      i = j + 1;
      continue;
    }
    let m = DATETIME.exec(rest) ?? null;
    if (m) {
      tokens.push({ kind: 'datetime', text: m[0], pos });
      i += m[0].length;
      continue;
    }
    m = DATE.exec(rest);
    if (m) {
      tokens.push({ kind: 'date', text: m[0], pos });
      i += m[0].length;
      continue;
    }
    m = /^(?:!=|<>|<=|>=|=|<|>)/.exec(rest);
    if (m) {
      tokens.push({ kind: 'op', text: m[0] === '<>' ? '!=' : m[0], pos });
      i += m[0].length;
      continue;
    }
    if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos });
      i++;
      continue;
    }
    m = NUMBER.exec(rest);
    if (m && (ch !== '+' && ch !== '-' ? true : /\d|\./.test(rest[1] ?? ''))) {
      tokens.push({ kind: 'number', text: m[0], pos });
      i += m[0].length;
      continue;
    }
    m = IDENT.exec(rest);
    if (m) {
      tokens.push({ kind: 'ident', text: m[0], pos });
      i += m[0].length;
      continue;
    }
    throw new SoqlSyntaxError(`line 1:${i} no viable alternative at character '${ch}'`, pos);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: text.length + 1 });
  return tokens;
}
