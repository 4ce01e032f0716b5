import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '../../config/gateway-config.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { restErrorOf } from './rest-error.js';

/**
 * The REST transport's one error filter: every exception on an HTTP route becomes the
 * contract's status + `{error:{code,message,details?}}`. GraphQL errors pass through
 * untouched, for Apollo's error formatting.
 */
@Catch()
@Injectable()
export class RestExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RestExceptionFilter');
  private readonly bodyLimitBytes: number;

  constructor(config: GatewayConfig) {
    this.bodyLimitBytes = config.http.bodyLimitBytes;
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    // Returning the error from a GraphQL resolver context lets graphql-js raise it as is.
    if (host.getType() !== 'http') return exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const rendered = restErrorOf(exception, {
      method: request.method,
      path: request.url.split('?', 1)[0],
      bodyLimitBytes: this.bodyLimitBytes,
    });
    if (rendered.unexpected) {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    if (reply.sent || reply.raw.headersSent) return undefined;
    void reply.status(rendered.status).headers(rendered.headers).send(rendered.body);
    return undefined;
  }
}
