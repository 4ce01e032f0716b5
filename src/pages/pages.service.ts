import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { accessRefusal } from '../common/auth/page-access.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { MirrorService } from '../mirror/mirror.service.js';
import type { SyncStatusView } from '../mirror/read-source.policy.js';

/** The pages a key may read: the configured ones, within its allow-list (GATEWAY_API_KEYS). */
@Injectable()
export class PagesService {
  constructor(
    private readonly config: GatewayConfig,
    private readonly mirror: MirrorService,
  ) {}

  /** Each page the caller may read, with its mirror's state, in configuration order. */
  pagesFor(caller: Caller): Promise<SyncStatusView[]> {
    const readable = [...this.config.pancake.pageTokens.keys()].filter(
      (pageId) => accessRefusal(caller, pageId, 'read') === null,
    );
    return Promise.all(readable.map((pageId) => this.mirror.status(pageId)));
  }
}
