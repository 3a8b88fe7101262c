// The rows of the decisions table that say how an account decision ended: every decision has
// exactly one (its step rows are 'decided'). The partial index decisions_account_end (migration
// 004) holds only these rows, and a query reaches it only when it states this same condition:
// SQLite matches a partial index's WHERE term by term, and a bound parameter (`status <> ?`)
// does not match, so the literal is written out here, once.
import { sql, type SqlBool } from 'kysely';

export const decisionEndRows = sql<SqlBool>`"status" <> 'decided'`;
