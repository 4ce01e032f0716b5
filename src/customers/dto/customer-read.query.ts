import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { ReadSource } from '../customer-view.js';

/** Only the words true and false: `?includeRemovedNotes=1` or `=yes` is refused by name. */
const booleanWord = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

const SOURCES = ['auto', 'mirror', 'upstream'] as const;

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

  @ApiPropertyOptional({
    enum: SOURCES,
    description:
      'auto: the mirror when the page is live and current enough, else upstream; mirror: the mirror or 409 SYNC_NOT_READY; upstream: Pancake. Omitted: the READ_SOURCE setting',
  })
  @IsOptional()
  @IsIn(['AUTO', 'MIRROR', 'UPSTREAM'], { message: `must be ${SOURCES.join(', ')}` })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && (SOURCES as readonly string[]).includes(value)
      ? value.toUpperCase()
      : value,
  )
  source?: ReadSource;
}
