// Salesforce REST error bodies: always a JSON array of {message, errorCode[, fields]}.
export const JSON_TYPE = 'application/json;charset=UTF-8';

export interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An error raised deep inside a handler and turned into the vendor's response by the app. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }
  body(): SfError[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

export function errorResponse(status: number, errorCode: string, message: string, fields?: string[]): Response {
  return jsonResponse(status, new SalesforceApiError(status, errorCode, message, fields).body());
}

export const notFound = () => errorResponse(404, 'NOT_FOUND', 'The requested resource does not exist');
export const sessionInvalid = () => errorResponse(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const requestLimitExceeded = () => errorResponse(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
export const serverUnavailable = () =>
  errorResponse(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable, please try again later.');

/** Message prefix Salesforce puts on SOQL errors: the query, a caret under the column, the position. */
export function soqlErrorMessage(soql: string, column: number, detail: string): string {
  return `\n${soql}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${detail}`;
}
