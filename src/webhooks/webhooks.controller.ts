import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, BODY_ERRORS } from '../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import {
  CreateWebhookDto,
  ReplayResult,
  ReplayWebhookDto,
  UpdateWebhookDto,
} from './dto/webhook-body.dto.js';
import { Webhook, WebhookDelivery, WebhookWithSecret } from './models/webhook.model.js';
import type { DeliveryView, WebhookView } from './webhook.types.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiErrorResponses(400, 401, 403, 404)
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Create a webhook; its secret is shown only in this answer' })
  @ApiCreatedResponse({ type: WebhookWithSecret })
  @ApiErrorResponses(...BODY_ERRORS)
  create(
    @CurrentCaller() caller: Caller,
    @Body() body: CreateWebhookDto,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    return this.webhooks.create(caller, body);
  }

  @Get()
  @ApiOperation({ summary: "The calling key's own webhooks" })
  @ApiOkResponse({ type: [Webhook] })
  list(@CurrentCaller() caller: Caller): Promise<WebhookView[]> {
    return this.webhooks.list(caller);
  }

  @Get(':id')
  @ApiOperation({ summary: "One of the calling key's webhooks" })
  @ApiOkResponse({ type: Webhook })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change any field; `enabled: true` resumes a disabled webhook' })
  @ApiOkResponse({ type: Webhook })
  @ApiErrorResponses(...BODY_ERRORS)
  update(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookView> {
    return this.webhooks.update(caller, id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete the webhook; its pending deliveries are dropped' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its pending deliveries' })
  async delete(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(caller, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret, shown once; the old one still signs for 24 h' })
  @ApiOkResponse({ type: WebhookWithSecret })
  rotateSecret(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
  ): Promise<{ webhook: WebhookView; secret: string }> {
    return this.webhooks.rotateSecret(caller, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue every event since `since` again (dead deliveries included)' })
  @ApiOkResponse({ type: ReplayResult })
  @ApiErrorResponses(...BODY_ERRORS)
  async replay(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: ReplayWebhookDto,
  ): Promise<ReplayResult> {
    return { queued: await this.webhooks.replay(caller, id, body.since) };
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Recent deliveries, newest first' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  })
  @ApiOkResponse({ type: [WebhookDelivery] })
  deliveries(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ): Promise<DeliveryView[]> {
    return this.webhooks.deliveriesOf(caller, id, limit === undefined ? 50 : Number(limit));
  }
}
