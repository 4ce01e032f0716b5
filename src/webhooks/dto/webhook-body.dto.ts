import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { CustomerEventType } from '../../mirror/models/mirror-enums.js';
import type { WebhookChanges } from '../webhook.types.js';

// Types only: the rules (URL, pages, event types, limits) are WebhooksService's, shared with GraphQL.

/** `POST /v1/webhooks` body: the contract's WebhookInput. */
export class CreateWebhookDto implements WebhookChanges {
  @ApiProperty({ example: 'https://crm.example.com/hooks/pancake', maxLength: 2048 })
  @IsString({ message: 'must be a string' })
  url: string;

  @ApiProperty({ type: [String], example: ['111'] })
  @IsArray({ message: 'must be a list of page ids' })
  @IsString({ each: true, message: 'must be a list of page ids' })
  pageIds: string[];

  @ApiPropertyOptional({ enum: CustomerEventType, isArray: true, description: 'Omitted: all' })
  @IsOptional()
  @IsArray({ message: 'must be a list of event types' })
  @IsString({ each: true, message: 'must be a list of event types' })
  types?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  description?: string;
}

/** `PATCH /v1/webhooks/:id` body: any of the fields, and `enabled`. */
export class UpdateWebhookDto implements WebhookChanges {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  url?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'must be a list of page ids' })
  @IsString({ each: true, message: 'must be a list of page ids' })
  pageIds?: string[];

  @ApiPropertyOptional({ enum: CustomerEventType, isArray: true, description: 'Empty: all' })
  @IsOptional()
  @IsArray({ message: 'must be a list of event types' })
  @IsString({ each: true, message: 'must be a list of event types' })
  types?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  description?: string;

  @ApiPropertyOptional({ description: 'false stops deliveries; true resumes them (after a 410)' })
  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  enabled?: boolean;
}

/** `POST /v1/webhooks/:id/replay` body. */
export class ReplayWebhookDto {
  @ApiProperty({ format: 'date-time', example: '2026-01-01T00:00:00Z' })
  @IsString({ message: 'must be an ISO-8601 date-time' })
  since: string;
}

export class ReplayResult {
  @ApiProperty({ type: 'integer', description: 'Events queued again' })
  queued: number;
}
