import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ResponseReplay } from '../cache/response-replay.js';
import { MirrorService } from '../mirror/mirror.service.js';

/**
 * Lets the response replay check mirror versions: a repeated mirror read is answered from its
 * bytes while the page's mirror has not changed (one small query instead of the whole read).
 */
@Injectable()
export class MirrorReplayBinding implements OnModuleInit {
  constructor(
    private readonly replay: ResponseReplay,
    private readonly mirror: MirrorService,
  ) {}

  onModuleInit(): void {
    this.replay.useMirrorVersions((pageId) => this.mirror.version(pageId).catch(() => null));
  }
}
