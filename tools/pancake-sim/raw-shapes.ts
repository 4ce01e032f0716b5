// The upstream shapes the simulator emits. A mirror of src/pancake/pancake.raw.ts, kept
// separate because nothing outside src/pancake may import that file; shapes.spec.ts
// asserts at compile time that these stay assignable to the gateway's raw types.
// Every key is always present (nullable ones as null), as upstream sends them.

export type RawGender = 'male' | 'female' | 'unknown';

export type RawOrderBy = 'inserted_at' | 'updated_at';

export interface RawNoteAuthor {
  uid: string;
  fb_id: string | null;
  fb_name: string | null;
}

/** One entry of a note's edit_history (assumed shape: the message before an edit). */
export interface RawNoteEdit {
  message: string;
  /** Unix milliseconds when that previous version was written. */
  updated_at: number;
}

export interface RawNote {
  id: string;
  message: string;
  /** Unix milliseconds. */
  created_at: number;
  /** Unix milliseconds; null when never edited. */
  updated_at: number | null;
  /** Unix milliseconds; null when not removed (removed notes stay in list results with it set). */
  removed_at: number | null;
  created_by: RawNoteAuthor;
  edit_history: RawNoteEdit[];
  images: string[];
  links: string[];
  order_id: string | null;
}

export interface RawCustomer {
  id: string;
  customer_id: string | null;
  psid: string;
  name: string | null;
  phone_numbers: string[];
  emails: string[] | null;
  gender: RawGender | null;
  birthday: string | null;
  lives_in: string | null;
  thread_id: string | null;
  can_inbox: boolean;
  recent_orders: null;
  /** Naive UTC: `2021-08-26T06:29:56` or `2019-08-24T14:15:22.000000`. */
  inserted_at: string;
  updated_at: string;
  notes: RawNote[];
}

export interface RawListResponse {
  total: number;
  customers: RawCustomer[];
  success: true;
}

export interface RawErrorBody {
  success: false;
  message: string;
  error_code: number;
}

/** The four fields upstream accepts in PUT `{changes}`. */
export interface RawCustomerChanges {
  name?: string;
  phone_numbers?: string[];
  gender?: RawGender;
  birthday?: string;
}
