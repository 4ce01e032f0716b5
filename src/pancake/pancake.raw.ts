// Upstream shapes exactly as Pancake sends them (docs/pancake-api.md). Nothing outside
// src/pancake/ may import these: the mapper turns them into the gateway's model.

export type RawGender = 'male' | 'female' | 'unknown';

export interface RawNoteAuthor {
  uid: string;
  fb_id?: string | null;
  fb_name?: string | null;
}

export interface RawNote {
  id: string;
  message: string;
  /** Unix milliseconds. */
  created_at: number;
  /** Unix milliseconds. */
  updated_at?: number | null;
  /** Unix milliseconds. */
  removed_at?: number | null;
  created_by?: RawNoteAuthor | null;
  edit_history?: unknown[] | null;
  images?: string[] | null;
  links?: string[] | null;
  order_id?: string | null;
}

export interface RawCustomer {
  /** page_customer_id (UUID): used by PUT and notes. */
  id: string;
  /** Global id of the person across pages. */
  customer_id?: string | null;
  psid: string;
  name?: string | null;
  phone_numbers?: string[] | null;
  emails?: string[] | null;
  gender?: RawGender | null;
  /** YYYY-MM-DD, unknown parts 00. */
  birthday?: string | null;
  lives_in?: string | null;
  thread_id?: string | null;
  can_inbox?: boolean;
  recent_orders?: unknown;
  /** Naive UTC, with or without fractions: 2021-08-26T06:29:56 or 2019-08-24T14:15:22.000000. */
  inserted_at?: string | null;
  updated_at?: string | null;
  notes?: RawNote[] | null;
}

export interface RawListResponse {
  total: number;
  customers: RawCustomer[];
  success: true;
}

export interface RawErrorBody {
  success: false;
  message?: string;
  error_code?: number;
}

/** The four fields upstream accepts in PUT `{changes}`. */
export interface RawCustomerChanges {
  name?: string;
  phone_numbers?: string[];
  gender?: RawGender;
  birthday?: string;
}

export type RawOrderBy = 'inserted_at' | 'updated_at';
