import { Field, ID, InputType } from '@nestjs/graphql';
import { IsArray, IsOptional, IsString } from 'class-validator';
import { CustomerEventType } from '../../mirror/models/mirror-enums.js';

// GraphQL checks the shapes (the decorators only let the global pipe accept the class);
// WebhooksService applies the rules (URL, pages, limits) for both transports, naming the field.

@InputType('WebhookInput')
export class WebhookInput {
  @Field(() => String, { description: 'http(s), no credentials, at most 2 KB, a public host' })
  @IsString()
  url: string;

  @Field(() => [ID], { description: 'Pages whose events are sent; the key must read each' })
  @IsArray()
  pageIds: string[];

  @Field(() => [CustomerEventType], { nullable: true, description: 'Omitted or empty: all' })
  @IsOptional()
  @IsArray()
  types?: CustomerEventType[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  description?: string | null;
}
