import { DynamicModule, Global, Module } from '@nestjs/common';
import { GatewayConfig } from './gateway-config.js';
import { loadConfig } from './load-config.js';

/** Provides the validated GatewayConfig everywhere. Tests pass their own. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GatewayConfig, useValue: config }],
      exports: [GatewayConfig],
    };
  }
}
