import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { GatewayConfig } from '../../config/gateway-config.js';
import { DatabaseService } from './database.service.js';

/** Opens and migrates at boot when this process mirrors pages or shares a server. */
class EagerOpen implements OnApplicationBootstrap {
  constructor(
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    @Inject(DatabaseService) private readonly database: DatabaseService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.url || this.config.mirror.pages.length > 0) await this.database.db();
  }
}

/** The one database of the process (PostgreSQL or embedded PGlite). Imports no feature. */
@Global()
@Module({
  providers: [
    {
      provide: DatabaseService,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => new DatabaseService(config.database),
    },
    EagerOpen,
  ],
  exports: [DatabaseService],
})
export class DatabaseModule {}
