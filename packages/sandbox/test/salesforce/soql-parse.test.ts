import { describe, expect, it } from 'vitest';
import { parseSoql } from '../../src/emulators/salesforce/soql/parse.js';
import { SoqlSyntaxError } from '../../src/emulators/salesforce/soql/tokenize.js';

describe('SOQL parser', () => {
  it('parses fields, relationship paths, nested conditions, ORDER BY and LIMIT/OFFSET', () => {
    const q = parseSoql("select Id, Account.Name from Contact where (Email like 'a%' or Title in ('CEO','CTO')) and SystemModstamp >= 2024-01-01T00:00:00.000+00:00 order by LastName desc nulls first, Id limit 10 offset 5");
    expect(q.fields.map((f) => f.path)).toEqual([['Id'], ['Account', 'Name']]);
    expect(q.object.name).toBe('Contact');
    expect(q.where).toMatchObject({ kind: 'and', items: [{ kind: 'or' }, { kind: 'compare', op: '>=', value: { kind: 'datetime', value: Date.UTC(2024, 0, 1) } }] });
    expect(q.orderBy).toEqual([
      { field: { path: ['LastName'], pos: expect.any(Number) }, descending: true, nullsLast: false },
      { field: { path: ['Id'], pos: expect.any(Number) }, descending: false, nullsLast: false },
    ]);
    expect([q.limit, q.offset]).toEqual([10, 5]);
  });

  it('reads dates, negative numbers, escaped quotes, NOT IN and COUNT()', () => {
    const q = parseSoql("SELECT COUNT() FROM Opportunity WHERE CloseDate < 2024-03-31 AND Amount > -1.5 AND Name NOT IN ('O\\'Brien') AND NOT IsWon = true");
    expect(q.count).toBe(true);
    const items = (q.where as { items: any[] }).items;
    expect(items[0].value).toMatchObject({ kind: 'date', value: '2024-03-31' });
    expect(items[1].value).toMatchObject({ kind: 'number', value: -1.5 });
    expect(items[2]).toMatchObject({ kind: 'in', negate: true, values: [{ kind: 'string', value: "O'Brien" }] });
    expect(items[3]).toMatchObject({ kind: 'not' });
  });

  // second element: the text at which the error must point
  it.each([
    ['SELECT Id FORM Contact', 'FORM'],
    ['SELECT FROM Contact', 'FROM'],
    ["SELECT Id FROM Contact WHERE a = 'x' AND b = 'y' OR c = 'z'", 'OR'],
    ["SELECT Id FROM Contact WHERE Email = 'unterminated", "'unterminated"],
    ['SELECT Id FROM Contact WHERE CloseDate > 2024-13-01', '2024-13-01'],
    ['SELECT Id FROM Contact LIMIT -1', '-1'],
  ])('rejects %s at %s', (soql, marker) => {
    let error: unknown;
    try {
      parseSoql(soql);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SoqlSyntaxError);
    expect((error as SoqlSyntaxError).pos).toBe(soql.indexOf(marker) + 1);
  });
});
