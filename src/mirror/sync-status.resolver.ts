import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { MirrorService } from './mirror.service.js';
import type { SyncStatusView } from './read-source.policy.js';
import { SyncStatus } from './models/sync-status.model.js';

@Resolver(() => SyncStatus)
export class SyncStatusResolver {
  constructor(private readonly mirror: MirrorService) {}

  @Query(() => SyncStatus, {
    description: "The page's mirror: sync state, customers, lag, backfill progress",
  })
  syncStatus(
    @CurrentCaller() caller: Caller,
    @Args('pageId', { type: () => ID }) pageId: string,
  ): Promise<SyncStatusView> {
    return this.mirror.statusFor(caller, pageId);
  }
}
