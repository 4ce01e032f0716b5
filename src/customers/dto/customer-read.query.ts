import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** Only the words true and false: `?includeRemovedNotes=1` or `=yes` is refused by name. */
const booleanWord = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Query of both customer reads (`GET .../customers` and `GET .../customers/:id`). */
export class CustomerReadQuery {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Also soft-removed notes (they carry removedAt)',
  })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean({ message: 'must be true or false' })
  includeRemovedNotes: boolean = false;
}
