// The gateway's own model of Pancake data: what every layer above src/pancake/ speaks.
// Times are Date (UTC); upstream units (naive strings, seconds, milliseconds) never leak.

export type Gender = 'male' | 'female' | 'unknown';
export type CustomerOrderBy = 'inserted_at' | 'updated_at';

export interface NoteAuthorRecord {
  uid: string;
  name: string | null;
}

export interface NoteRecord {
  id: string;
  message: string;
  createdAt: Date;
  updatedAt: Date | null;
  removedAt: Date | null;
  createdBy: NoteAuthorRecord | null;
  images: string[];
  links: string[];
}

export interface CustomerRecord {
  /** Pancake page_customer_id (UUID). */
  id: string;
  psid: string;
  pageId: string;
  globalCustomerId: string | null;
  name: string | null;
  phoneNumbers: string[];
  emails: string[];
  gender: Gender | null;
  livesIn: string | null;
  /** YYYY-MM-DD as upstream keeps it; unknown parts are 00. */
  birthday: string | null;
  insertedAt: Date | null;
  updatedAt: Date | null;
  /** As upstream lists them: soft-removed ones too, with removedAt set. */
  notes: NoteRecord[];
}

export interface CustomerListQuery {
  since: Date;
  until: Date;
  pageNumber: number;
  pageSize: number;
  orderBy: CustomerOrderBy;
}

export interface CustomerListPage {
  total: number;
  customers: CustomerRecord[];
}

/** Validated, normalized changes, ready to send (see update policy). */
export interface CustomerChanges {
  name?: string;
  phoneNumbers?: string[];
  gender?: Gender;
  birthday?: string;
}
