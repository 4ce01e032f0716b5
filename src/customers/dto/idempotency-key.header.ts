import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The `Idempotency-Key` request header. A custom decorator rather than `@Headers()`, which
 * @nestjs/swagger would list a second time, as required, beside the route's `@ApiHeader`.
 */
export const IdempotencyKeyHeader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    // A repeated header arrives as a list; the first one counts, as @Headers() would give it.
    return Array.isArray(value) ? value[0] : value;
  },
);
