import type { GatewayConfig } from '../../config/gateway-config.js';
// The filter and pipe inside a real Nest + Fastify app: Fastify parses bodies before Nest runs,
// so its parser errors must still come out in the contract's shape.
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { GatewayError } from '../errors/gateway-error.js';
import { RestExceptionFilter } from './rest-exception.filter.js';
import { installSecurityHeaders } from './security-headers.js';
import { createValidationPipe } from './validation.js';

const BODY_LIMIT_BYTES = 1024;

class EchoDto {
  @IsString({ message: 'must be a string' })
  message: string;
}

@Controller('t')
class ProbeController {
  @Post('echo')
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret detail: page_access_token=abc at /srv/x.ts:1');
  }

  @Get('limited')
  limited(): never {
    throw GatewayError.rateLimited('Page 111 is over its upstream budget', 2.2);
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('RestExceptionFilter in a Fastify app', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(
      ProbeModule,
      new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
      { logger: false },
    );
    installSecurityHeaders(app.getHttpAdapter().getInstance());
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(
      new RestExceptionFilter({ http: { bodyLimitBytes: BODY_LIMIT_BYTES } } as GatewayConfig),
    );
    // Real HTTP: Fastify's inject() needs an ESM-only dependency Jest's VM cannot require.
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  const get = (path: string) => call(`${base}${path}`, { method: 'GET' });
  const post = (payload: string, contentType = 'application/json') =>
    call(`${base}/t/echo`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': contentType },
    });

  it('answers a valid body', async () => {
    const res = await post('{"message":"hi"}');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ message: 'hi' });
  });

  it('renders malformed JSON as 400 BAD_USER_INPUT', async () => {
    const res = await post('{"message":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'BAD_USER_INPUT', message: 'malformed JSON body' } });
  });

  it('renders an empty JSON body as 400', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
  });

  it('renders a body over the limit as 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ message: 'x'.repeat(BODY_LIMIT_BYTES * 2) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `request body exceeds ${BODY_LIMIT_BYTES} bytes`,
      },
    });
  });

  it('renders an unsupported media type as 415', async () => {
    const res = await post('<message>hi</message>', 'application/xml');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
  });

  it('renders an unknown route as 404 NOT_FOUND without the query string', async () => {
    const res = await get('/nowhere?key=secret');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for GET /nowhere' },
    });
  });

  it('renders DTO failures with the violations, unknown fields named', async () => {
    const res = await post('{"message":3,"emails":["a@b.c"]}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: 'emails: is not an accepted field; message: must be a string',
        details: {
          violations: [
            { field: 'emails', rule: 'is not an accepted field' },
            { field: 'message', rule: 'must be a string' },
          ],
        },
      },
    });
  });

  it.each([['[]'], ['"text"'], ['42'], ['null']])(
    'refuses the non-object body %s with 400',
    async (payload) => {
      const res = await post(payload);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'BAD_USER_INPUT',
        message: 'body: must be a JSON object',
        details: { violations: [{ field: 'body', rule: 'must be a JSON object' }] },
      });
    },
  );

  it('refuses a text/plain body (Fastify parses it to a string) with 400', async () => {
    const res = await post('message=hi', 'text/plain');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('body: must be a JSON object');
  });

  it('hides unexpected errors behind 500 INTERNAL', async () => {
    const res = await get('/t/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    expect(res.text).not.toMatch(/secret|token|\.ts/);
  });

  it('sends Retry-After with RATE_LIMITED, rounded up', async () => {
    const res = await get('/t/limited');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body.error.code).toBe('RATE_LIMITED');
  });

  it('sets the security headers', async () => {
    const res = await post('{"message":"hi"}');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  body: any;
}

async function call(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}
