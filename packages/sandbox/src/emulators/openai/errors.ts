// OpenAI's error envelope: {error:{message,type,param,code}}.
export function openAIError(status: number, message: string, type: string, param: string | null = null, code: string | null = null, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message, type, param, code } }, { status, headers });
}

export const errors = {
  missingKey: () =>
    openAIError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    ),
  invalidKey: (key: string) =>
    openAIError(401, `Incorrect API key provided: ${key.slice(0, 3)}****${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key'),
  badJson: () =>
    openAIError(400, "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.", 'invalid_request_error'),
  missingParam: (param: string) => openAIError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter'),
  invalidParam: (param: string, detail: string) => openAIError(400, `Invalid value for '${param}': ${detail}`, 'invalid_request_error', param, 'invalid_value'),
  modelNotFound: (model: string) =>
    openAIError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model', 'model_not_found'),
  rateLimited: (model: string, limit: number, used: number, requested: number, retryMs: number) =>
    openAIError(
      429,
      `Rate limit reached for ${model} in organization org-sandbox on tokens per min (TPM): Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${retryMs}ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'tokens',
      null,
      'rate_limit_exceeded',
      { 'retry-after-ms': String(retryMs), 'retry-after': String(Math.ceil(retryMs / 1000)), 'x-ratelimit-limit-tokens': String(limit), 'x-ratelimit-remaining-tokens': String(Math.max(0, limit - used)) },
    ),
  requestRateLimited: (retryMs: number) =>
    openAIError(429, `Rate limit reached for requests. Please try again in ${retryMs}ms.`, 'requests', null, 'rate_limit_exceeded', {
      'retry-after-ms': String(retryMs),
    }),
  unsupportedTemperature: (value: number) =>
    openAIError(400, `Unsupported value: 'temperature' does not support ${value} with this model. Only the default (1) value is supported.`, 'invalid_request_error', 'temperature', 'unsupported_value'),
  unsupportedParameter: (param: string, hint = '') =>
    openAIError(400, `Unsupported parameter: '${param}' is not supported with this model.${hint}`, 'invalid_request_error', param, 'unsupported_parameter'),
  unsupportedValue: (param: string, value: string, supported: readonly string[]) =>
    openAIError(
      400,
      `Unsupported value: '${param}' does not support '${value}' with this model. Supported values are: ${supported.map((v) => `'${v}'`).join(', ')}.`,
      'invalid_request_error',
      param,
      'unsupported_value',
    ),
  /** billing quota used up: a 429 that waiting does not fix (no retry-after) */
  insufficientQuota: () =>
    openAIError(
      429,
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      'insufficient_quota',
      null,
      'insufficient_quota',
    ),
  serverError: () => openAIError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error'),
  notFound: (path: string) => openAIError(404, `Invalid URL (${path})`, 'invalid_request_error'),
};
