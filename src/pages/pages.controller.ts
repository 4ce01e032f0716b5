import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import { SyncStatus } from '../mirror/models/sync-status.model.js';
import type { SyncStatusView } from '../mirror/read-source.policy.js';
import { PagesService } from './pages.service.js';

@ApiTags('pages')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiErrorResponses(401)
@Controller('v1/pages')
export class PagesController {
  constructor(private readonly pages: PagesService) {}

  @Get()
  @ApiOperation({ summary: "The pages this key may read, each with its mirror's sync status" })
  @ApiOkResponse({ type: SyncStatus, isArray: true })
  pagesOfCaller(@CurrentCaller() caller: Caller): Promise<SyncStatusView[]> {
    return this.pages.pagesFor(caller);
  }
}
