import { Global, Module } from '@nestjs/common';
import { GatewayConfig } from '../../config/gateway-config.js';
import { ApiKeyVerifier } from './api-key-verifier.js';

/**
 * The one ApiKeyVerifier (key digests made once at boot) that the guard, the GraphQL context
 * and the response-replay hook all check keys with.
 */
@Global()
@Module({
  providers: [
    {
      provide: ApiKeyVerifier,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => new ApiKeyVerifier(config.apiKeys),
    },
  ],
  exports: [ApiKeyVerifier],
})
export class AuthModule {}
