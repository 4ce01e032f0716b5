import 'reflect-metadata';
import type { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { AddPhoneNumbersDto } from '../../customers/dto/add-phone-numbers.dto.js';
import { ListCustomersQuery } from '../../customers/dto/list-customers.query.js';
import { NoteMessageDto } from '../../customers/dto/note-message.dto.js';
import { UpdateCustomerDto } from '../../customers/dto/update-customer.dto.js';
import { GatewayError } from '../errors/gateway-error.js';
import { createValidationPipe, violationsOf } from './validation.js';

class PhoneDto {
  @IsString({ message: 'must be a string' })
  number: string;
}

class ContactDto {
  @ValidateNested({ each: true })
  @Type(() => PhoneDto)
  phones: PhoneDto[];
}

const pipe = createValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  metatype,
});
const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

async function rejection(run: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('violationsOf', () => {
  it('names nested fields by their path', () => {
    const errors: ValidationError[] = [
      {
        property: 'phones',
        children: [
          {
            property: '0',
            children: [
              { property: 'number', constraints: { isString: 'must be a string' }, children: [] },
            ],
          },
        ],
      },
      {
        property: 'emails',
        constraints: { whitelistValidation: 'property emails should not exist' },
        children: [],
      },
    ];
    expect(violationsOf(errors)).toEqual([
      { field: 'phones[0].number', rule: 'must be a string' },
      { field: 'emails', rule: 'is not an accepted field' },
    ]);
  });

  it('names array elements of a real nested DTO (`phones[1].number`)', async () => {
    const error = await rejection(() =>
      pipe.transform({ phones: [{ number: '1' }, { number: 2 }] }, body(ContactDto)),
    );
    expect(error.details).toEqual({
      violations: [{ field: 'phones[1].number', rule: 'must be a string' }],
    });
  });
});

describe('the REST validation pipe', () => {
  it('leaves a scalar body parameter (a named GraphQL argument) to its own pipes', async () => {
    await expect(pipe.transform('111', body(String))).resolves.toBe('111');
    await expect(pipe.transform(['a'], body(Array))).resolves.toEqual(['a']);
  });

  it('refuses a field upstream does not accept, naming it', async () => {
    const error = await rejection(() =>
      pipe.transform({ name: 'An', emails: ['a@b.c'] }, body(UpdateCustomerDto)),
    );
    expect(error.message).toBe('emails: is not an accepted field');
  });

  it("passes the four fields through as given: values are the policy's to judge", async () => {
    const input = {
      name: ' An ',
      phoneNumbers: ['090 123 4567'],
      gender: 'FEMALE',
      birthday: '2999-01-01',
    };
    const dto = await pipe.transform({ ...input }, body(UpdateCustomerDto));
    expect(dto).toBeInstanceOf(UpdateCustomerDto);
    expect({ ...(dto as object) }).toMatchObject(input);
  });

  it('checks types: a number for a name, a string for the phone list', async () => {
    const error = await rejection(() =>
      pipe.transform({ name: 7, phoneNumbers: '0901234567' }, body(UpdateCustomerDto)),
    );
    expect(error.details).toEqual({
      violations: [
        { field: 'name', rule: 'must be a string' },
        { field: 'phoneNumbers', rule: 'must be a list of strings' },
      ],
    });
  });

  it('requires the phone list and the note message', async () => {
    expect((await rejection(() => pipe.transform({}, body(AddPhoneNumbersDto)))).message).toBe(
      'phoneNumbers: must be a list of strings',
    );
    expect((await rejection(() => pipe.transform({}, body(NoteMessageDto)))).message).toBe(
      'message: must be a string',
    );
  });

  it('turns the list query into Dates and numbers with the contract defaults', async () => {
    const dto = (await pipe.transform(
      { since: '2025-01-01T00:00:00+07:00', until: '2025-02-01T00:00:00Z' },
      query(ListCustomersQuery),
    )) as ListCustomersQuery;
    expect(dto.since).toEqual(new Date('2024-12-31T17:00:00Z'));
    expect(dto.until).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(dto).toMatchObject({ pageNumber: 1, pageSize: 100, orderBy: 'inserted_at' });
  });

  it('converts paging numbers and refuses what is not one', async () => {
    const window = { since: '2025-01-01T00:00:00Z', until: '2025-02-01T00:00:00Z' };
    const dto = (await pipe.transform(
      { ...window, pageNumber: '3', pageSize: '20', orderBy: 'updated_at' },
      query(ListCustomersQuery),
    )) as ListCustomersQuery;
    expect(dto).toMatchObject({ pageNumber: 3, pageSize: 20, orderBy: 'updated_at' });
    const error = await rejection(() =>
      pipe.transform(
        { ...window, pageNumber: 'two', pageSize: '1.5', orderBy: 'name' },
        query(ListCustomersQuery),
      ),
    );
    expect(error.message).toBe(
      'pageNumber: must be an integer; pageSize: must be an integer; orderBy: must be one of insertedAt, updatedAt, inserted_at, updated_at',
    );
  });

  it('refuses a window without offsets or missing, and unknown query parameters', async () => {
    const error = await rejection(() =>
      pipe.transform({ since: '2025-01-01', cursor: 'x' }, query(ListCustomersQuery)),
    );
    expect(error.details).toEqual({
      violations: [
        { field: 'cursor', rule: 'is not an accepted field' },
        { field: 'since', rule: 'must be an ISO-8601 date-time with offset' },
        { field: 'until', rule: 'is required' },
      ],
    });
  });

  it('takes orderBy in camelCase as well as upstream snake_case', async () => {
    const window = { since: '2025-01-01T00:00:00Z', until: '2025-02-01T00:00:00Z' };
    for (const [given, taken] of [
      ['insertedAt', 'inserted_at'],
      ['updatedAt', 'updated_at'],
      ['updated_at', 'updated_at'],
    ]) {
      const dto = (await pipe.transform(
        { ...window, orderBy: given },
        query(ListCustomersQuery),
      )) as ListCustomersQuery;
      expect(dto.orderBy).toBe(taken);
    }
  });
});
