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
}

export type NoteView = NoteRecord;

export interface ListCustomersArgs {
  since: Date;
  until: Date;
  pageNumber?: number;
  pageSize?: number;
  orderBy?: 'inserted_at' | 'updated_at';
}
