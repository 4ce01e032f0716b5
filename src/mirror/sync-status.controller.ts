import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, PAGE_ROUTE_ERRORS } from '../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import { MirrorService } from './mirror.service.js';
import type { SyncStatusView } from './read-source.policy.js';
import { SyncStatus } from './models/sync-status.model.js';

@ApiTags('mirror')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/pages/:pageId/sync')
export class SyncStatusController {
  constructor(private readonly mirror: MirrorService) {}

  @Get()
  @ApiParam({ name: 'pageId', description: 'Facebook page id (digits)', example: '111' })
  @ApiOperation({ summary: "The page's mirror: sync state, customers, lag, backfill progress" })
  @ApiOkResponse({ type: SyncStatus })
  status(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
  ): Promise<SyncStatusView> {
    return this.mirror.statusFor(caller, pageId);
  }
}
