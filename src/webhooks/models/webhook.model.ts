import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { CustomerEventType } from '../../mirror/models/mirror-enums.js';
import type { DeliveryStatus, DeliveryView, WebhookView } from '../webhook.types.js';

@ObjectType('Webhook', { description: 'An endpoint receiving the change feed, signed' })
@ApiSchema({ name: 'Webhook' })
export class Webhook implements WebhookView {
  @Field(() => ID)
  @ApiProperty({ example: 'wh_0123456789abcdef01234567' })
  id: string;

  @Field(() => String)
  @ApiProperty({ example: 'https://crm.example.com/hooks/pancake' })
  url: string;

  @Field(() => [ID])
  @ApiProperty({ type: [String], example: ['111'] })
  pageIds: string[];

  @Field(() => [CustomerEventType], { description: 'Event types delivered; empty: all' })
  @ApiProperty({ enum: CustomerEventType, isArray: true })
  types: string[];

  @Field(() => Boolean, { description: 'False after a 410 answer or when its owner disabled it' })
  @ApiProperty()
  enabled: boolean;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @Field(() => DateTimeScalar)
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

@ObjectType('WebhookWithSecret', { description: 'A webhook and its signing secret, shown once' })
@ApiSchema({ name: 'WebhookWithSecret' })
export class WebhookWithSecret {
  @Field(() => Webhook)
  @ApiProperty({ type: Webhook })
  webhook: Webhook;

  @Field(() => String, { description: 'whsec_...: verify signatures with it; shown only now' })
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}

@ObjectType('WebhookDelivery', { description: 'One event on its way to one webhook' })
@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDelivery implements DeliveryView {
  @Field(() => ID)
  @ApiProperty()
  id: string;

  @Field(() => ID, { description: 'The event id, sent as webhook-id' })
  @ApiProperty()
  eventId: string;

  @Field(() => Int, { description: 'Attempts made so far' })
  @ApiProperty({ type: 'integer' })
  attempt: number;

  @Field(() => String, { description: 'PENDING, SUCCEEDED, FAILED (a retry is due) or DEAD' })
  @ApiProperty({ enum: ['PENDING', 'SUCCEEDED', 'FAILED', 'DEAD'] })
  status: DeliveryStatus;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer' })
  @ApiProperty({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => DateTimeScalar)
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}
