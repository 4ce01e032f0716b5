import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DateTimeScalar } from '../../common/scalars/date-time.scalar.js';
import { Customer } from '../../customers/models/customer.model.js';
import { Note } from '../../customers/models/note.model.js';
import { CustomerEventType, EventOrigin } from '../../mirror/models/mirror-enums.js';
import type { CustomerEventPageView, CustomerEventView } from '../customer-event-view.js';

@ObjectType('CustomerEvent', { description: 'One recorded change of a customer' })
@ApiSchema({ name: 'CustomerEventResponse' })
export class CustomerEvent implements CustomerEventView {
  @Field(() => ID, { description: 'Stable: the same change always has the same id' })
  @ApiProperty({ description: 'Stable: the same change always has the same id' })
  id: string;

  @Field(() => String, { description: 'Opaque, strictly increasing per page' })
  @ApiProperty({ description: 'Opaque, strictly increasing per page (`after`, SSE `id:`)' })
  cursor: string;

  @Field(() => CustomerEventType)
  @ApiProperty({ enum: CustomerEventType })
  type: CustomerEventType;

  @Field(() => EventOrigin)
  @ApiProperty({ enum: EventOrigin })
  origin: EventOrigin;

  @Field(() => ID)
  @ApiProperty({ example: '111' })
  pageId: string;

  @Field(() => ID)
  @ApiProperty()
  customerId: string;

  @Field(() => DateTimeScalar)
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;

  @Field(() => [String], { description: 'Customer field names; [] for created' })
  @ApiProperty({ type: [String], description: 'Customer field names; [] for created' })
  changedFields: string[];

  @Field(() => Customer, { description: 'As the mirror holds it after the change' })
  @ApiProperty({ type: Customer })
  customer: Customer;

  @Field(() => Note, { nullable: true, description: 'For NOTE_* events' })
  @ApiProperty({ type: Note, nullable: true })
  note: Note | null;
}

@ObjectType('CustomerEventPage', { description: 'Events after a cursor, oldest first' })
@ApiSchema({ name: 'CustomerEventPageResponse' })
export class CustomerEventPage implements CustomerEventPageView {
  @Field(() => [CustomerEvent])
  @ApiProperty({ type: [CustomerEvent] })
  events: CustomerEvent[];

  @Field(() => String, {
    nullable: true,
    description:
      'Pass as `after` for the next page: the last cursor, or `after` when none followed',
  })
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @Field(() => Boolean)
  @ApiProperty()
  hasMore: boolean;
}
