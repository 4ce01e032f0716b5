import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { authenticationOf } from './request-authentication.js';
import { callerOrThrow } from './authenticate.js';
import type { Caller } from './caller.js';
import { IS_PUBLIC } from './public.decorator.js';

export type RequestWithCaller = Pick<FastifyRequest, 'headers' | 'gatewayContext'> & {
  caller?: Caller;
};

/**
 * Requires a valid key on every route not marked @Public(), REST and GraphQL alike. It reads
 * the request's one authentication (made on arrival); it does not check the key again.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = requestOf(context);
    request.caller ??= callerOrThrow(authenticationOf(request, this.verifier));
    return true;
  }
}

function requestOf(context: ExecutionContext): RequestWithCaller {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithCaller>();
}
