import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

/** The gateway's one pino logger (secrets redacted), for code that writes lines itself. */
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');

/**
 * nestjs-pino over the gateway's one pino instance. Its per-request auto log is off: the
 * request line is written by request-log.hook.ts, which knows what the request did.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger, autoLogging: false, quietReqLogger: true },
        }),
      ],
      providers: [{ provide: GATEWAY_LOGGER, useValue: logger }],
      exports: [GATEWAY_LOGGER],
    };
  }
}
