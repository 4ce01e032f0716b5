import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { PancakeModule } from '../pancake/pancake.module.js';
import { ComponentsHealthIndicator } from './components.health.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { MirrorHealthIndicator } from './mirror.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), PancakeModule, MirrorModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, ComponentsHealthIndicator, MirrorHealthIndicator],
})
export class HealthModule {}
