import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { ArgumentsHost } from '@nestjs/common';
import { GatewayError } from '../errors/gateway-error.js';
import { RestExceptionFilter } from './rest-exception.filter.js';

interface FakeReply {
  statusCode?: number;
  sentHeaders: Record<string, string>;
  payload?: unknown;
  sent: boolean;
  raw: { headersSent: boolean };
  status(code: number): FakeReply;
  headers(values: Record<string, string>): FakeReply;
  send(payload: unknown): FakeReply;
}

function fakeReply(): FakeReply {
  const reply: FakeReply = {
    sentHeaders: {},
    sent: false,
    raw: { headersSent: false },
    status(code) {
      reply.statusCode = code;
      return reply;
    },
    headers(values) {
      Object.assign(reply.sentHeaders, values);
      return reply;
    },
    send(payload) {
      reply.payload = payload;
      reply.sent = true;
      return reply;
    },
  };
  return reply;
}

function httpHost(reply: FakeReply, url = '/v1/pages/111/customers?since=x'): ArgumentsHost {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ method: 'GET', url }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
}

describe('RestExceptionFilter', () => {
  const filter = new RestExceptionFilter({ http: { bodyLimitBytes: 65536 } } as GatewayConfig);

  it('returns the error untouched in a GraphQL context, for Apollo to format', () => {
    const error = GatewayError.notFound('Customer x not found');
    const host = {
      getType: () => 'graphql',
      switchToHttp: () => {
        throw new Error('not http');
      },
    } as unknown as ArgumentsHost;
    expect(filter.catch(error, host)).toBe(error);
  });

  it('writes status, headers and the contract body on HTTP', () => {
    const reply = fakeReply();
    filter.catch(GatewayError.rateLimited('Page 111 is over its budget', 3), httpHost(reply));
    expect(reply.statusCode).toBe(429);
    expect(reply.sentHeaders).toEqual({ 'Retry-After': '3' });
    expect(reply.payload).toEqual({
      error: { code: 'RATE_LIMITED', message: 'Page 111 is over its budget' },
    });
  });

  it('names the path without its query string on an unknown route', async () => {
    const { NotFoundException } = await import('@nestjs/common');
    const reply = fakeReply();
    filter.catch(new NotFoundException(), httpHost(reply, '/v9/x?key=secret'));
    expect(reply.payload).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for GET /v9/x' },
    });
  });

  it('does not write twice when the response already went out', () => {
    const reply = fakeReply();
    reply.raw.headersSent = true;
    // Logged (that is the point), but not onto the test output with a stack.
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      filter.catch(new Error('late failure'), httpHost(reply));
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'late failure' }));
    } finally {
      logged.mockRestore();
    }
    expect(reply.payload).toBeUndefined();
  });
});
