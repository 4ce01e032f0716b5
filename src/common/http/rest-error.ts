import { HttpException } from '@nestjs/common';
import { codeForHttpStatus, ErrorCode, HTTP_STATUS_BY_CODE } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';

/** The contract's REST error body: `{"error":{"code","message","details"?}}`. */
export interface RestErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** What the REST transport answers for one exception. */
export interface RestError {
  status: number;
  body: RestErrorBody;
  headers: Record<string, string>;
  /** Not an error the gateway expected: worth a log line with its stack. */
  unexpected: boolean;
}

export interface RestErrorContext {
  method: string;
  /** The request path without its query string. */
  path: string;
  bodyLimitBytes: number;
}

const INTERNAL_MESSAGE = 'Internal server error';

/** Maps any exception to the contract's REST error; never renders a stack, token or key. */
export function restErrorOf(exception: unknown, context: RestErrorContext): RestError {
  if (exception instanceof GatewayError) return fromGatewayError(exception);
  const parsing = fromBodyParsing(exception, context);
  if (parsing) return parsing;
  if (exception instanceof HttpException) return fromHttpException(exception, context);
  return internal();
}

function fromGatewayError(error: GatewayError): RestError {
  const status = HTTP_STATUS_BY_CODE[error.code] ?? 500;
  if (error.code === ErrorCode.INTERNAL) return internal();
  const headers: Record<string, string> = {};
  const retryAfter =
    error.retryAfterSeconds ?? (error.code === ErrorCode.RATE_LIMITED ? 1 : undefined);
  if (retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)));
  return {
    status,
    body: errorBody(error.code, error.message, error.details),
    headers,
    unexpected: false,
  };
}

/**
 * Fastify parses the body before Nest runs; its errors arrive raw (a SyntaxError for bad JSON)
 * or wrapped by Nest's adapter in an HttpException whose cause is the FastifyError.
 */
function fromBodyParsing(exception: unknown, context: RestErrorContext): RestError | undefined {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const code = fastifyCodeOf(cause);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return clientError(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `request body exceeds ${context.bodyLimitBytes} bytes`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return clientError(
        415,
        ErrorCode.BAD_USER_INPUT,
        'unsupported Content-Type: send application/json',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return clientError(400, ErrorCode.BAD_USER_INPUT, 'malformed JSON body: it is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return clientError(400, ErrorCode.BAD_USER_INPUT, 'malformed JSON body');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return clientError(400, ErrorCode.BAD_USER_INPUT, 'Content-Length does not match the body');
  }
  // The client went away while its body arrived: nothing can be answered, nothing went wrong here.
  if (isClientAbort(cause)) {
    return clientError(400, ErrorCode.BAD_USER_INPUT, 'the client closed the request');
  }
  // Fastify's JSON parser (secure-json-parse) throws a SyntaxError it tags with status 400.
  if (cause instanceof SyntaxError && statusCodeOf(cause) === 400) {
    return clientError(400, ErrorCode.BAD_USER_INPUT, 'malformed JSON body');
  }
  return undefined;
}

function fromHttpException(exception: HttpException, context: RestErrorContext): RestError {
  const status = exception.getStatus();
  if (status === 404) {
    return clientError(404, ErrorCode.NOT_FOUND, `no route for ${context.method} ${context.path}`);
  }
  if (status === 503) {
    // Terminus' readiness result says which dependency is down; our indicators write it safely.
    const response = exception.getResponse();
    const details = typeof response === 'object' ? response : undefined;
    return {
      status,
      body: errorBody(ErrorCode.SERVICE_UNAVAILABLE, 'Service unavailable', details),
      headers: {},
      unexpected: false,
    };
  }
  if (status >= 500) return internal();
  // A status Nest or Fastify chose, when no GatewayError says otherwise.
  return clientError(
    status,
    codeForHttpStatus(status) ?? ErrorCode.BAD_USER_INPUT,
    httpExceptionMessage(exception),
  );
}

/** The message a Nest HttpException was built with (string or `{ message }`), not its generated class name. */
function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

function fastifyCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

/**
 * Node's IncomingMessage fails with `aborted` (ECONNRESET) when the connection closes mid-body.
 * Duck-typed: the error comes from Node's own realm.
 */
function isClientAbort(error: unknown): boolean {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return message === 'aborted' && code === 'ECONNRESET';
}

function statusCodeOf(error: Error): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function clientError(status: number, code: ErrorCode, message: string): RestError {
  return { status, body: errorBody(code, message), headers: {}, unexpected: false };
}

function internal(unexpected = true): RestError {
  return {
    status: 500,
    body: errorBody(ErrorCode.INTERNAL, INTERNAL_MESSAGE),
    headers: {},
    unexpected,
  };
}

function errorBody(code: ErrorCode, message: string, details?: unknown): RestErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
