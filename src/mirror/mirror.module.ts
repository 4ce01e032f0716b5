import { Module } from '@nestjs/common';
import { PancakeModule } from '../pancake/pancake.module.js';
import { EventOutbox } from './event-outbox.js';
import { MirrorEvents } from './mirror-events.js';
import { MirrorService } from './mirror.service.js';
import { MirrorStore } from './mirror.store.js';
import { WindowIndexStore } from './window-index.store.js';
import { SyncStateStore } from './sync-state.store.js';
import { SyncScheduler } from './sync/sync.scheduler.js';
import { SyncStatusController } from './sync-status.controller.js';
import { SyncStatusResolver } from './sync-status.resolver.js';

/** The customer mirror: its tables, the per-page sync, mirrored reads and the event record. */
@Module({
  imports: [PancakeModule],
  providers: [
    MirrorStore,
    WindowIndexStore,
    SyncStateStore,
    MirrorEvents,
    EventOutbox,
    MirrorService,
    SyncScheduler,
  ],
  exports: [MirrorService, MirrorEvents, EventOutbox],
})
export class MirrorModule {}

/** The mirror's own API: the sync status over GraphQL and REST. */
@Module({
  imports: [MirrorModule],
  providers: [SyncStatusResolver],
  controllers: [SyncStatusController],
})
export class MirrorApiModule {}
