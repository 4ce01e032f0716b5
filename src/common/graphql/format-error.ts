import { HttpException } from '@nestjs/common';
import { GraphQLError, Kind, TokenKind, type GraphQLFormattedError } from 'graphql';
import { codeForHttpStatus, ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';

const INTERNAL_MESSAGE = 'Internal server error';

// Apollo's codes for a request refused before execution: parse, validation, variable coercion, CSRF.
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);
const PERSISTED_QUERY_HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH';
// Automatic persisted queries: clients react to these exact codes, so they pass unchanged.
const PROTOCOL_CODES = new Set([
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  PERSISTED_QUERY_HASH_MISMATCH,
]);
// Apollo Server raises a hash that does not match the query text with this message and no code;
// Apollo Router names the same error PERSISTED_QUERY_HASH_MISMATCH.
const APOLLO_HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

const VALUE_KINDS: ReadonlySet<string> = new Set([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

/**
 * Apollo `formatError`: every error leaves with one of the gateway's codes in `extensions.code`,
 * a message written for the caller, and nothing else (no stack outside development, no token).
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  if (isPersistedQueryHashMismatch(error)) {
    return { message: formatted.message, extensions: { code: PERSISTED_QUERY_HASH_MISMATCH } };
  }
  const chain = causesOf(error);
  const gatewayError = chain.find((e): e is GatewayError => e instanceof GatewayError);
  if (gatewayError) return fromGatewayError(formatted, gatewayError);
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) return formatted;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    // graphql-armor prefixes its validation errors with "Syntax Error: ", which they are not.
    const text =
      code === 'GRAPHQL_VALIDATION_FAILED'
        ? formatted.message.replace(/^Syntax Error: /, '')
        : formatted.message;
    const argument = argumentNameOf(chain);
    // The same details.violations resolver and REST validation errors carry.
    const field = argument ?? variableNameOf(text) ?? 'query';
    return shape(
      formatted,
      ErrorCode.BAD_USER_INPUT,
      argument ? `Argument "${argument}": ${text}` : text,
      { details: { violations: [{ field, rule: text }] } },
    );
  }
  const httpException = chain.find((e): e is HttpException => e instanceof HttpException);
  // A status Nest chose (a guard returning false, a pipe), when no GatewayError says otherwise.
  const byStatus = httpException && codeForHttpStatus(httpException.getStatus());
  if (httpException && byStatus) return shape(formatted, byStatus, httpException.message);
  return shape(formatted, ErrorCode.INTERNAL, INTERNAL_MESSAGE);
}

function fromGatewayError(
  formatted: GraphQLFormattedError,
  error: GatewayError,
): GraphQLFormattedError {
  if (error.code === ErrorCode.INTERNAL)
    return shape(formatted, ErrorCode.INTERNAL, INTERNAL_MESSAGE);
  const retryAfter =
    error.retryAfterSeconds ?? (error.code === ErrorCode.RATE_LIMITED ? 1 : undefined);
  return shape(formatted, error.code, error.message, {
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(retryAfter)) }),
  });
}

function shape(
  formatted: GraphQLFormattedError,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLFormattedError {
  // Apollo adds a stacktrace only when includeStacktraceInErrorResponses is on (development).
  const stacktrace = formatted.extensions?.stacktrace;
  return {
    message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code, ...extra, ...(stacktrace === undefined ? {} : { stacktrace }) },
  };
}

/** Apollo's own error (no resolver behind it, so no original error) for a mismatched APQ hash. */
function isPersistedQueryHashMismatch(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.originalError === undefined &&
    error.extensions.code === undefined &&
    error.message === APOLLO_HASH_MISMATCH_MESSAGE
  );
}

/** The error, then what it wraps (GraphQLError.originalError, Error.cause), nearest first. */
function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current =
      current instanceof GraphQLError
        ? (current.originalError ?? current.cause)
        : (current as Error).cause;
  }
  return chain;
}

/** `$since` of graphql-js's 'Variable "$since" got invalid value ...'. */
function variableNameOf(message: string): string | undefined {
  return /^Variable "(\$\w+)"/.exec(message)?.[1];
}

/**
 * The argument (or input field) a literal value was written for: `since: "2026"` has the tokens
 * `since` `:` before the value. graphql-js names the type there, not the argument.
 */
function argumentNameOf(chain: readonly unknown[]): string | undefined {
  for (const error of chain) {
    if (!(error instanceof GraphQLError)) continue;
    const node = error.nodes?.[0];
    if (!node || !VALUE_KINDS.has(node.kind)) continue;
    const colon = node.loc?.startToken.prev;
    const name = colon?.kind === TokenKind.COLON ? colon.prev : undefined;
    if (name?.kind === TokenKind.NAME && name.value) return name.value;
  }
  return undefined;
}
