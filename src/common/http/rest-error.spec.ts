import {
  BadRequestException,
  HttpException,
  MethodNotAllowedException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ErrorCode, HTTP_STATUS_BY_CODE } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import { restErrorOf, type RestErrorContext } from './rest-error.js';

const context: RestErrorContext = {
  method: 'GET',
  path: '/v1/pages/111/customers',
  bodyLimitBytes: 65536,
};

function fastifyError(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { name: 'FastifyError', code, statusCode });
}

describe('restErrorOf', () => {
  it.each(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL))(
    'renders GatewayError %s with its status, code and message',
    (code) => {
      const rendered = restErrorOf(new GatewayError(code, 'what happened'), context);
      expect(rendered.status).toBe(HTTP_STATUS_BY_CODE[code]);
      expect(rendered.body).toEqual({ error: { code, message: 'what happened' } });
      expect(rendered.unexpected).toBe(false);
    },
  );

  it('keeps details (violations) of bad input', () => {
    const rendered = restErrorOf(
      GatewayError.badInput([{ field: 'birthday', rule: 'must not be in the future' }]),
      context,
    );
    expect(rendered.status).toBe(400);
    expect(rendered.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: 'birthday: must not be in the future',
        details: { violations: [{ field: 'birthday', rule: 'must not be in the future' }] },
      },
    });
  });

  it('sends Retry-After in whole seconds, at least 1, for RATE_LIMITED', () => {
    expect(restErrorOf(GatewayError.rateLimited('slow down', 1.2), context).headers).toEqual({
      'Retry-After': '2',
    });
    expect(restErrorOf(GatewayError.rateLimited('slow down', 0), context).headers).toEqual({
      'Retry-After': '1',
    });
    expect(
      restErrorOf(new GatewayError(ErrorCode.RATE_LIMITED, 'no hint'), context).headers,
    ).toEqual({ 'Retry-After': '1' });
  });

  it('sends Retry-After for UPSTREAM_ERROR only when the hint is set', () => {
    expect(
      restErrorOf(GatewayError.upstream('down', { retryAfterSeconds: 5 }), context),
    ).toMatchObject({
      status: 502,
      headers: { 'Retry-After': '5' },
    });
    expect(restErrorOf(GatewayError.upstream('down'), context).headers).toEqual({});
  });

  it('never renders a cause, even on a GatewayError', () => {
    const error = GatewayError.upstream('Pancake answered 500', {
      cause: new Error('https://x?page_access_token=SECRET'),
    });
    expect(JSON.stringify(restErrorOf(error, context).body)).not.toContain('SECRET');
  });

  it('renders GatewayError INTERNAL generically and flags it for the log', () => {
    const rendered = restErrorOf(
      new GatewayError(ErrorCode.INTERNAL, 'index corrupt at key pgw:abc'),
      context,
    );
    expect(rendered).toMatchObject({ status: 500, unexpected: true });
    expect(rendered.body).toEqual({
      error: { code: 'INTERNAL', message: 'Internal server error' },
    });
  });

  it.each([
    [
      'FST_ERR_CTP_BODY_TOO_LARGE',
      413,
      413,
      'PAYLOAD_TOO_LARGE',
      'request body exceeds 65536 bytes',
    ],
    [
      'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      415,
      415,
      'BAD_USER_INPUT',
      'unsupported Content-Type: send application/json',
    ],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 400, 'BAD_USER_INPUT', 'malformed JSON body: it is empty'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'BAD_USER_INPUT', 'malformed JSON body'],
    [
      'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      400,
      400,
      'BAD_USER_INPUT',
      'Content-Length does not match the body',
    ],
  ])(
    'renders Fastify %s (raw or wrapped by Nest) as %i',
    (code, fastifyStatus, status, errorCode, message) => {
      const raw = fastifyError(code, fastifyStatus);
      const wrapped = new HttpException(raw.message, fastifyStatus, { cause: raw });
      for (const exception of [raw, wrapped]) {
        expect(restErrorOf(exception, context)).toEqual({
          status,
          body: { error: { code: errorCode, message } },
          headers: {},
          unexpected: false,
        });
      }
    },
  );

  it('renders the JSON parser SyntaxError as malformed JSON without echoing the parser message', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), {
      statusCode: 400,
    });
    expect(restErrorOf(syntax, context).body).toEqual({
      error: { code: 'BAD_USER_INPUT', message: 'malformed JSON body' },
    });
  });

  it('treats a client that closed mid-body as a client error, not one for the error log', () => {
    // What Node's IncomingMessage fails with, tagged 400 by Fastify's body reader.
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    const rendered = restErrorOf(aborted, context);
    expect(rendered.unexpected).toBe(false);
    expect(rendered.body.error.code).toBe('BAD_USER_INPUT');
    expect(restErrorOf(new Error('aborted'), context).unexpected).toBe(true);
  });

  it('renders an unknown route as 404 NOT_FOUND naming method and path', () => {
    const rendered = restErrorOf(new NotFoundException('Cannot GET /v2/x?key=abc'), {
      ...context,
      path: '/v2/x',
    });
    expect(rendered).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'no route for GET /v2/x' } },
    });
  });

  it('keeps 405 and other 4xx statuses of Nest exceptions with a contract code', () => {
    expect(restErrorOf(new MethodNotAllowedException(), context)).toMatchObject({
      status: 405,
      body: { error: { code: 'BAD_USER_INPUT', message: 'Method Not Allowed' } },
    });
    expect(restErrorOf(new BadRequestException('id must be a number'), context)).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_USER_INPUT', message: 'id must be a number' } },
    });
    expect(restErrorOf(new HttpException('slow', 429), context).body.error.code).toBe(
      'RATE_LIMITED',
    );
    expect(restErrorOf(new HttpException('checked', 422), context)).toMatchObject({
      status: 422,
      body: { error: { code: 'BAD_USER_INPUT', message: 'checked' } },
    });
    expect(restErrorOf(new HttpException('too slow', 408), context)).toMatchObject({
      status: 408,
      body: { error: { code: 'REQUEST_TIMEOUT', message: 'too slow' } },
    });
  });

  it('renders a readiness failure as 503 SERVICE_UNAVAILABLE with the check result', () => {
    const result = {
      status: 'error',
      info: {},
      error: { redis: { status: 'down' } },
      details: { redis: { status: 'down' } },
    };
    expect(restErrorOf(new ServiceUnavailableException(result), context)).toEqual({
      status: 503,
      body: {
        error: { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable', details: result },
      },
      headers: {},
      unexpected: false,
    });
  });

  it.each([
    ['an Error', new Error('connect ECONNREFUSED with token abc123')],
    ['a string', 'boom'],
    ['a 500 HttpException', new HttpException('db password=hunter2', 500)],
    ['a 5xx FastifyError', fastifyError('FST_ERR_HANDLER_TIMEOUT', 503)],
  ])('hides %s behind 500 INTERNAL', (_, exception) => {
    const rendered = restErrorOf(exception, context);
    expect(rendered).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Internal server error' } },
    });
    expect(JSON.stringify(rendered.body)).not.toMatch(/token|password|ECONNREFUSED|stack/);
  });
});
