import { ArgsType, Field } from '@nestjs/graphql';

/** Arguments of `Customer.notes`. */
@ArgsType()
export class CustomerNotesArgs {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Also soft-removed notes (they carry removedAt)',
  })
  includeRemoved?: boolean | null;
}
