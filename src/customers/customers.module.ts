import { Module } from '@nestjs/common';
import { ResponseReplayModule } from '../cache/response-replay.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { MirrorRecordsBinding } from './mirror-records.binding.js';
import { MirrorReplayBinding } from './mirror-replay.binding.js';
import { PancakeModule } from '../pancake/pancake.module.js';
import { CustomersService } from './customers.service.js';
import { NotesService } from './notes.service.js';
import { PageGuard } from './page-guard.service.js';
import { customerStoreProviders } from './stores/stores.providers.js';
import { GuardedWrites } from './writes/guarded-writes.js';

/** The feature: customers and their notes, over GraphQL and the REST mirror. */
@Module({
  imports: [PancakeModule, MirrorModule, ResponseReplayModule],
  providers: [
    MirrorReplayBinding,
    MirrorRecordsBinding,
    ...customerStoreProviders,
    PageGuard,
    GuardedWrites,
    CustomersService,
    NotesService,
  ],
  exports: [CustomersService, NotesService],
})
export class CustomersModule {}
