import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response.js';
import { NO_STORE_HEADERS } from './representation-docs.js';

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

// What each status means on this API; the body is always ErrorResponse.
const ERRORS = {
  400: { description: 'BAD_USER_INPUT: invalid input; details.violations names each field' },
  401: { description: 'UNAUTHENTICATED: missing or wrong API key' },
  403: { description: 'FORBIDDEN: the key may not touch this page, or is read-only' },
  404: { description: 'NOT_FOUND: page not configured, or customer/note unknown' },
  409: { description: 'CONFLICT: a request with this Idempotency-Key is still running' },
  413: { description: 'PAYLOAD_TOO_LARGE: body over BODY_LIMIT_BYTES' },
  415: { description: 'BAD_USER_INPUT: Content-Type is not application/json' },
  422: { description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another body' },
  429: { description: "RATE_LIMITED: the page's upstream budget is spent", headers: RETRY_AFTER },
  502: { description: 'UPSTREAM_ERROR: Pancake failed after retries', headers: RETRY_AFTER },
} as const;

export type DocumentedErrorStatus = keyof typeof ERRORS;

/** Every authenticated page route can meet these. */
export const PAGE_ROUTE_ERRORS: DocumentedErrorStatus[] = [400, 401, 403, 404, 429, 502];

/** A route that takes a JSON body can also meet these. */
export const BODY_ERRORS: DocumentedErrorStatus[] = [413, 415];

/** Documents error responses of a route (or every route of a controller), each with ErrorResponse and no-store. */
export function ApiErrorResponses(
  ...statuses: DocumentedErrorStatus[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...new Set(statuses)].map((status) => {
      const { description, ...rest } = ERRORS[status];
      const headers = 'headers' in rest ? rest.headers : {};
      return ApiResponse({
        status,
        type: ErrorResponse,
        description,
        headers: { ...NO_STORE_HEADERS, ...headers },
      });
    }),
  );
}
