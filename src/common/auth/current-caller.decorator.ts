import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Caller } from './caller.js';
import type { RequestWithCaller } from './api-key.guard.js';

/** The Caller the ApiKeyGuard authenticated, in a controller or a resolver. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller => {
    const request =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req
        : context.switchToHttp().getRequest<RequestWithCaller>();
    if (!request.caller) throw new Error('CurrentCaller used on a route without ApiKeyGuard');
    return request.caller;
  },
);
