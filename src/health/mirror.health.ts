import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MirrorService } from '../mirror/mirror.service.js';

/**
 * The mirror in readiness: each synced page's state (a FAILED page is reported, and the
 * replica stays ready for the others and for upstream reads); down only when the shared
 * database does not answer.
 */
@Injectable()
export class MirrorHealthIndicator {
  constructor(
    private readonly mirror: MirrorService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('mirror');
    const health = await this.mirror.health();
    return health.databaseAnswers ? indicator.up(health.data) : indicator.down(health.data);
  }
}
