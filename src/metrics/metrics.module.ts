import { Global, Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsController } from './metrics.controller.js';

@Global()
@Module({
  providers: [{ provide: GatewayMetrics, useFactory: () => new GatewayMetrics() }],
  controllers: [MetricsController],
  exports: [GatewayMetrics],
})
export class MetricsModule {}
