import { Controller, Get, Headers, Logger, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, PAGE_ROUTE_ERRORS } from '../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { FeedService } from './feed.service.js';
import { EVENT_TYPES, MAX_EVENTS_LIMIT } from './feed-query.policy.js';
import { CustomerEventPage } from './models/customer-event.model.js';
import { streamEvents, wantsEventStream } from './sse-stream.js';

@ApiTags('mirror')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/pages/:pageId/events')
export class CustomerEventsController {
  private readonly logger = new Logger('Feed');

  constructor(
    private readonly feed: FeedService,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiParam({ name: 'pageId', description: 'Facebook page id (digits)', example: '111' })
  @ApiOperation({
    summary:
      "The page's change feed: a page of events after a cursor, or a Server-Sent Events stream",
    description:
      'With `Accept: text/event-stream`: events after `after` (or `Last-Event-ID`), then live ones, ' +
      'each with `id:` = its cursor; a comment line every SSE_HEARTBEAT_SECONDS. Without either ' +
      'cursor the stream starts at the live edge.',
  })
  @ApiQuery({ name: 'after', required: false, description: 'A cursor this API returned' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_EVENTS_LIMIT, default: 100 },
  })
  @ApiQuery({
    name: 'types',
    required: false,
    description: `Comma-separated: ${EVENT_TYPES.join(', ')}`,
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'SSE: resume after this cursor',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: CustomerEventPage })
  @ApiResponse({
    status: 409,
    description: 'SYNC_NOT_READY: this gateway does not mirror the page (not in SYNC_PAGES)',
  })
  async events(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Query('after') after: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('types') types: string | string[] | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!wantsEventStream(request.headers.accept)) {
      await reply.send(
        await this.feed.page(caller, pageId, { after, limit, limitField: 'limit', types }),
      );
      return;
    }
    const follower = await this.feed.follow(caller, pageId, { after, lastEventId, types });
    void streamEvents(
      reply,
      follower,
      (event) => this.feed.view(event),
      this.config.feed.heartbeatMs,
      (error) =>
        this.logger.warn({
          msg: 'Event stream ended on a read failure',
          pageId,
          detail: (error as Error).message,
        }),
    );
  }
}
