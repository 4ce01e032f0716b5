import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import type { Caller } from '../../common/auth/caller.js';
import { visibleNotes } from '../../customers/note-visibility.js';
import { customerFromJson } from '../../mirror/customer-json.js';
import { PancakeClient } from '../../pancake/pancake.client.js';
import { ProductPages } from '../product-pages.js';
import { ProductsStore, type ExportRow } from '../products.store.js';
import { encodeExportCursor } from './export-cursor.js';
import {
  PROFILE_COLUMNS,
  profileCells,
  profileObject,
  type ExportedCustomer,
} from './export-profiles.js';
import {
  exportRequestOf,
  type ExportQueryInput,
  type ExportRequest,
} from './export-request.policy.js';

/** Customers read per query: one chunk of the answer, the most the export holds at a time. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportStream {
  contentType: string;
  fileName: string;
  body: Readable;
}

const CONTENT_TYPES = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * Every mirrored customer of a page, streamed: keyset pages in id order, one chunk each, read
 * as the client reads (a stream pulls the next page only when the previous chunk left). A
 * client that goes away destroys the stream, which ends the generator: no more queries.
 */
@Injectable()
export class CustomerExportService {
  constructor(
    private readonly pages: ProductPages,
    private readonly store: ProductsStore,
    private readonly pancake: PancakeClient,
  ) {}

  /** Checks everything first (400, 403, 404, 409 keep their status), then opens the stream. */
  async open(caller: Caller, pageId: string, query: ExportQueryInput): Promise<ExportStream> {
    const request = exportRequestOf(pageId, query);
    await this.pages.live(caller, pageId);
    const chunks =
      request.format === 'csv'
        ? this.csvChunks(pageId, request)
        : this.ndjsonChunks(pageId, request);
    return {
      contentType: CONTENT_TYPES[request.format],
      fileName: `customers-${pageId}-${request.profile}.${request.format}`,
      body: Readable.from(chunks, { objectMode: false }),
    };
  }

  private async *ndjsonChunks(pageId: string, request: ExportRequest): AsyncGenerator<string> {
    let count = 0;
    for await (const rows of this.rowPages(pageId, request)) {
      let chunk = '';
      for (const row of rows)
        chunk +=
          request.profile === 'gateway' && !hasRemovedNote(row.recordJson)
            ? this.gatewayLine(pageId, row)
            : `${JSON.stringify(profileObject(request.profile, this.exported(pageId, row)))}\n`;
      count += rows.length;
      yield chunk;
    }
    // The trailer: an export cut short (an error after the first byte) has none.
    yield `${JSON.stringify({ complete: true, count })}\n`;
  }

  private async *csvChunks(pageId: string, request: ExportRequest): AsyncGenerator<string> {
    yield stringify([PROFILE_COLUMNS[request.profile]]);
    for await (const rows of this.rowPages(pageId, request))
      yield stringify(rows.map((row) => profileCells(request.profile, this.exported(pageId, row))));
  }

  /** Keyset pages, the next one read while the current one is being sent. */
  private async *rowPages(pageId: string, request: ExportRequest): AsyncGenerator<ExportRow[]> {
    const read = (afterId: string | null): Promise<ExportRow[]> => {
      const page = this.store.exportPage(pageId, {
        afterId,
        updatedSince: request.updatedSince,
        limit: EXPORT_PAGE_SIZE,
        withPhones: request.profile !== 'gateway',
      });
      // Awaited on the next turn; a client gone by then must not leave it unhandled.
      page.catch(() => undefined);
      return page;
    };
    let next = read(request.afterId);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      next = rows.length < EXPORT_PAGE_SIZE ? Promise.resolve([]) : read(rows[rows.length - 1]!.id);
      yield rows;
    }
  }

  /**
   * The Customer shape without parsing it: the stored JSON is the record (dates already ISO
   * strings), so the line is that text plus avatarUrl and cursor. Parsing and serializing each
   * customer again cost more than the rest of the export together.
   */
  private gatewayLine(pageId: string, row: ExportRow): string {
    const avatarUrl = JSON.stringify(this.pancake.avatarUrl(pageId, row.psid));
    const cursor = JSON.stringify(encodeExportCursor(pageId, row.id));
    return `${row.recordJson.slice(0, -1)}, "avatarUrl": ${avatarUrl}, "cursor": ${cursor}}\n`;
  }

  private exported(pageId: string, row: ExportRow): ExportedCustomer {
    const record = customerFromJson(row.recordJson);
    const notes = visibleNotes(record.notes, false);
    return {
      record: notes === record.notes ? record : { ...record, notes },
      phonesE164: row.phonesE164,
      avatarUrl: this.pancake.avatarUrl(pageId, row.psid),
      cursor: encodeExportCursor(pageId, row.id),
    };
  }
}

/** PostgreSQL writes jsonb as text with `": "`; a removed note has a removedAt string there. */
function hasRemovedNote(recordJson: string): boolean {
  return recordJson.includes('"removedAt": "');
}
