import { Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { SyncStatus } from '../mirror/models/sync-status.model.js';
import type { SyncStatusView } from '../mirror/read-source.policy.js';
import { PagesService } from './pages.service.js';

@Resolver()
export class PagesResolver {
  constructor(private readonly pages: PagesService) {}

  @Query(() => [SyncStatus], {
    name: 'pages',
    description: "The pages this key may read, each with its mirror's sync status",
  })
  pagesOfCaller(@CurrentCaller() caller: Caller): Promise<SyncStatusView[]> {
    return this.pages.pagesFor(caller);
  }
}
