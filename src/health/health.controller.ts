import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { ReportsUnavailable } from '../common/logging/request-log.hook.js';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { GATEWAY_VERSION } from '../config/build-info.js';
import { ComponentsHealthIndicator } from './components.health.js';
import { MirrorHealthIndicator } from './mirror.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly components: ComponentsHealthIndicator,
    private readonly mirror: MirrorHealthIndicator,
  ) {}

  /** The process is up and serving HTTP; says which build answers (rollouts, support). */
  @Get('live')
  @HealthCheck()
  async live() {
    return { ...(await this.health.check([])), version: GATEWAY_VERSION };
  }

  /**
   * Every dependency answers: Redis (when configured), the limiter and cache run on it, and the
   * mirror's database (each synced page's state is reported; a FAILED page keeps it ready).
   */
  @Get('ready')
  @HealthCheck()
  @ReportsUnavailable()
  ready() {
    return this.health.check([
      () => this.redis.check(),
      () => this.components.limiterHealth(),
      () => this.components.cacheHealth(),
      () => this.mirror.check(),
    ]);
  }
}
