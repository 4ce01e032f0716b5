import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Caller } from '../../common/auth/caller.js';
import { CurrentCaller } from '../../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, PAGE_ROUTE_ERRORS } from '../../common/http/api-error-responses.js';
import { ErrorResponse } from '../../common/http/error-response.js';
import { OPENAPI_SECURITY } from '../../common/http/openapi.js';
import { ApiPageIdParam } from '../../customers/dto/path-params.js';
import { ExportCustomersQuery } from '../dto/products.query.js';
import { CustomerExportService } from './customer-export.service.js';

/**
 * REST only: an export is a stream of unbounded length, which a GraphQL answer (one JSON
 * document, built whole before it is sent) cannot be.
 */
@ApiTags('data products')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiPageIdParam()
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/pages/:pageId/customers/export')
export class CustomerExportController {
  constructor(private readonly exports: CustomerExportService) {}

  @Get()
  @ApiOperation({
    summary:
      'Every mirrored customer of the page, streamed as NDJSON (each line with its cursor, then {"complete":true,"count":N}) or CSV',
  })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiResponse({
    status: 200,
    description: 'The stream; resume with after=<cursor of the last line>',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'SYNC_NOT_READY: the page is still backfilling (details give the progress)',
  })
  async export(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Query() query: ExportCustomersQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const out = await this.exports.open(caller, pageId, query);
    await reply
      .header('content-type', out.contentType)
      .header('content-disposition', `attachment; filename="${out.fileName}"`)
      .header('cache-control', 'no-store')
      .send(out.body);
  }
}
