// Google's JSON error model for REST APIs: {error: {code, message, status, details: [...]}} with a
// google.rpc.BadRequest (fieldViolations) for a refused field. The Data Manager API fails fast:
// one invalid record refuses the whole request, nothing of it is processed.
export function googleError(code: number, status: string, message: string, violations: { field: string; description: string }[] = []): Response {
  const details = violations.length ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }] : [];
  return Response.json({ error: { code, message, status, details } }, { status: code });
}

export const invalidArgument = (field: string, description: string) => googleError(400, 'INVALID_ARGUMENT', `Request contains an invalid argument: ${field}: ${description}`, [{ field, description }]);
export const permissionDenied = (message: string) => googleError(403, 'PERMISSION_DENIED', message);
export const notFound = (message: string) => googleError(404, 'NOT_FOUND', message);
