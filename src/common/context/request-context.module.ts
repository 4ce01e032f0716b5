import { Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { RequestContextService } from './request-context.service.js';

/**
 * The request's context through nestjs-cls. Contexts are opened by the request-context hook
 * (so Fastify hooks that run before Nest's pipeline see them too), not by its middleware.
 */
@Global()
@Module({
  imports: [ClsModule.forRoot({ global: true, middleware: { mount: false } })],
  providers: [RequestContextService],
  exports: [RequestContextService],
})
export class RequestContextModule {}
