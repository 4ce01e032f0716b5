import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { currentRequestContext } from '../context/request-context.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { authenticate } from './authenticate.js';
import { callerOf, type Caller } from './caller.js';
import { IS_PUBLIC } from './public.decorator.js';

export interface RequestWithCaller {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

/** Requires `Authorization: Bearer <key>` on every route not marked @Public(), REST and GraphQL alike. */
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
    if (request.caller) return true;
    const grant = authenticate(this.verifier, request.headers.authorization);
    request.caller = callerOf(grant);
    const requestContext = currentRequestContext();
    if (requestContext) requestContext.keyName = grant.name;
    return true;
  }
}

function requestOf(context: ExecutionContext): RequestWithCaller {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithCaller>();
}
