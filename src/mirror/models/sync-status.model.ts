import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import type { SyncStatusView } from '../read-source.policy.js';
import { SyncState } from './mirror-enums.js';

@ObjectType('SyncStatus', { description: "A page's mirror: its sync state, size and freshness" })
@ApiSchema({ name: 'SyncStatusResponse' })
export class SyncStatus implements SyncStatusView {
  @Field(() => ID)
  @ApiProperty()
  pageId: string;

  @Field(() => SyncState)
  @ApiProperty({ enum: SyncState })
  state: SyncState;

  @Field(() => Int, { description: 'Customers held in the mirror' })
  @ApiProperty({ type: 'integer' })
  customers: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the last delta poll completed',
  })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPolledAt: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds the mirror may be behind Pancake' })
  @ApiProperty({ type: Number, nullable: true })
  lagSeconds: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of the page read by its backfill, 0..1',
  })
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  backfillProgress: number | null;
}
