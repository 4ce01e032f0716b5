import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';

/** A customer as both transports return it: the record plus its public avatar URL. */
export interface CustomerView extends CustomerRecord {
  avatarUrl: string;
}

export interface CustomerPageView {
  total: number;
  pageNumber: number;
  pageSize: number;
  hasNextPage: boolean;
  nodes: CustomerView[];
  source: 'MIRROR' | 'UPSTREAM';
  /** Mirror reads: the upper edge of the last complete sync pass. */
  syncedAt: Date | null;
}

/** Where a read should be answered from; omitted: READ_SOURCE. */
export type ReadSource = 'AUTO' | 'MIRROR' | 'UPSTREAM';

export type NoteView = NoteRecord;

export interface ListCustomersArgs {
  since: Date;
  until: Date;
  pageNumber?: number;
  pageSize?: number;
  orderBy?: 'inserted_at' | 'updated_at';
  source?: ReadSource;
}
