// LinkedIn's own error bodies (shapes as observed from api.linkedin.com).
export interface LinkedInErrorBody {
  status: number;
  message: string;
  code?: string;
  serviceErrorCode?: number;
}

export function linkedInError(status: number, message: string, extra: Omit<Partial<LinkedInErrorBody>, 'status' | 'message'> = {}): Response {
  const body: LinkedInErrorBody = { status, ...extra, message };
  return Response.json(body, { status, headers: { 'x-restli-protocol-version': '2.0.0' } });
}

export const errors = {
  versionMissing: () =>
    linkedInError(400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', { code: 'VERSION_MISSING' }),
  // LinkedIn reports the version as YYYYMMDD (the release date), e.g. header 202504 → "20250401"
  versionInactive: (version: string) =>
    linkedInError(426, `Requested version ${version.replace(/^(\d{6})(?:\.(\d{2}))?$/, (_m, ym: string, r?: string) => `${ym}${r ?? '01'}`)} is not active`, {
      code: 'NONEXISTENT_VERSION',
    }),
  invalidToken: () => linkedInError(401, 'Invalid access token', { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' }),
  revokedToken: () =>
    linkedInError(401, 'The token used in the request has been revoked by the user', { serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN' }),
  expiredToken: () => linkedInError(401, 'The token used in the request has expired', { serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN' }),
  invalidParam: (param: string) => linkedInError(400, `Parameter '${param}' is invalid`),
  badRequest: (message: string) => linkedInError(400, message),
  notFound: (what: string) => linkedInError(404, `Not Found: ${what}`),
  throttled: (scope: 'DAY' | 'MINUTE') =>
    linkedInError(429, `Resource level throttle APPLICATION ${scope} limit for calls to this resource is reached.`, {
      serviceErrorCode: 101,
      code: 'TOO_MANY_REQUESTS',
    }),
  serverError: () => linkedInError(500, 'Internal Server Error'),
};
