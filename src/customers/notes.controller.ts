import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import {
  ApiErrorResponses,
  BODY_ERRORS,
  PAGE_ROUTE_ERRORS,
} from '../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import { NO_STORE_HEADERS } from '../common/http/representation-docs.js';
import { CustomerIdPipe, NoteMessagePipe } from './customer-input.pipes.js';
import type { NoteView } from './customer-view.js';
import { IdempotencyKeyHeader } from './dto/idempotency-key.header.js';
import { NoteMessageDto } from './dto/note-message.dto.js';
import { ApiCustomerIdParam, ApiNoteIdParam, ApiPageIdParam } from './dto/path-params.js';
import { Note } from './models/note.model.js';
import { NotesService } from './notes.service.js';

/** REST mirror of the note mutations: one service call per route. */
@ApiTags('notes')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiPageIdParam()
@ApiCustomerIdParam('customerId')
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
// `:customerId`, not `:id`: the services name this id customerId in their errors.
@Controller('v1/pages/:pageId/customers/:customerId/notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Adds a note; with Idempotency-Key, a retry replays the first result' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Same key and body: the first note is returned again (409 while it is still being created); same key, other body: 422',
    schema: { type: 'string', maxLength: 255 },
  })
  @ApiCreatedResponse({ type: Note, headers: NO_STORE_HEADERS })
  @ApiErrorResponses(...BODY_ERRORS, 409, 422)
  create(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('customerId', CustomerIdPipe) customerId: string,
    @Body(NoteMessagePipe) { message }: NoteMessageDto,
    @IdempotencyKeyHeader() idempotencyKey?: string,
  ): Promise<NoteView> {
    return this.notes.createNote(caller, pageId, customerId, message, idempotencyKey);
  }

  @Patch(':noteId')
  @ApiNoteIdParam()
  @ApiOperation({ summary: 'Replaces the text of a note' })
  @ApiOkResponse({ type: Note, headers: NO_STORE_HEADERS })
  @ApiErrorResponses(...BODY_ERRORS)
  update(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('customerId', CustomerIdPipe) customerId: string,
    @Param('noteId') noteId: string,
    @Body(NoteMessagePipe) { message }: NoteMessageDto,
  ): Promise<NoteView> {
    return this.notes.updateNote(caller, pageId, customerId, noteId, message);
  }

  @Delete(':noteId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoteIdParam()
  @ApiOperation({ summary: 'Deletes a note' })
  @ApiNoContentResponse({ description: 'Deleted', headers: NO_STORE_HEADERS })
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('customerId', CustomerIdPipe) customerId: string,
    @Param('noteId') noteId: string,
  ): Promise<void> {
    await this.notes.deleteNote(caller, pageId, customerId, noteId);
  }
}
