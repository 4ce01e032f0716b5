import { ApiParam } from '@nestjs/swagger';

// Documentation only: the services check every id (path-segments.ts) before any work, and
// CustomerIdPipe gives a customer id its canonical case.

export const ApiPageIdParam = (): MethodDecorator & ClassDecorator =>
  ApiParam({
    name: 'pageId',
    description: 'Facebook page id',
    schema: { type: 'string', pattern: '^[0-9]{1,32}$' },
    example: '111',
  });

export const ApiCustomerIdParam = (name = 'id'): MethodDecorator & ClassDecorator =>
  ApiParam({
    name,
    description: 'Pancake page_customer_id (any case)',
    schema: { type: 'string', format: 'uuid' },
  });

export const ApiNoteIdParam = (): MethodDecorator & ClassDecorator =>
  ApiParam({ name: 'noteId', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } });

export const ApiPsidParam = (): MethodDecorator & ClassDecorator =>
  ApiParam({
    name: 'psid',
    description: 'Page-scoped user id',
    schema: { type: 'string', pattern: '^[0-9]{1,32}$' },
  });
