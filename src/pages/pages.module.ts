import { Module } from '@nestjs/common';
import { MirrorModule } from '../mirror/mirror.module.js';
import { PagesController } from './pages.controller.js';
import { PagesResolver } from './pages.resolver.js';
import { PagesService } from './pages.service.js';

/** How a client learns its pages: `pages` over GraphQL and `GET /v1/pages`. */
@Module({
  imports: [MirrorModule],
  providers: [PagesService, PagesResolver],
  controllers: [PagesController],
})
export class PagesModule {}
