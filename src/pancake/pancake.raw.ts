// Upstream shapes exactly as Pancake sends them (docs/pancake-api.md). Nothing outside
// src/pancake/ may import these: the mapper turns them into the gateway's model.
//
// The read shapes are zod schemas, the one definition of what the gateway accepts
// (upstream-answer.validator.ts runs them on every list answer before it is used or
// cached). Wrong types are refused everywhere. Wrong values are refused where the gateway
// relies on them (ids go into URLs, timestamps locate a customer for reads by id, total
// drives paging) and read as "not known" where they are only shown (gender, birthday).
// Nullable fields, both observed timestamp forms and unknown extra keys are accepted;
// fields the gateway never reads (thread_id, can_inbox, recent_orders, a note's
// edit_history and order_id) are not checked, and like unknown keys they are dropped.
import { z } from 'zod';
import { isValidCustomerId, isValidNoteId, isValidPsid } from './path-segments.js';
import { parseNaiveUtc } from './upstream-time.js';

// The ECMAScript Date range in ms: a note time outside it could not become a Date.
const MAX_DATE_MS = 8.64e15;

const unixMillis = z.number().min(-MAX_DATE_MS).max(MAX_DATE_MS);
const naiveUtc = z
  .string()
  .refine((s) => parseNaiveUtc(s) !== null, 'expected a naive UTC date-time');
const strings = z.array(z.string()).nullish();

export const RawNoteAuthorSchema = z.object({
  uid: z.string(),
  fb_id: z.string().nullish(),
  fb_name: z.string().nullish(),
});

export const RawNoteSchema = z.object({
  id: z.string().refine(isValidNoteId, 'expected a note id (1-64 letters, digits, _ or -)'),
  message: z.string(),
  /** Unix milliseconds. */
  created_at: unixMillis,
  /** Unix milliseconds. */
  updated_at: unixMillis.nullish(),
  /** Unix milliseconds. */
  removed_at: unixMillis.nullish(),
  created_by: RawNoteAuthorSchema.nullish(),
  images: strings,
  links: strings,
});

export const RawCustomerSchema = z.object({
  /** page_customer_id (UUID): used by PUT and notes. */
  id: z.string().refine(isValidCustomerId, 'expected a UUID'),
  /** Global id of the person across pages. */
  customer_id: z.string().nullish(),
  psid: z.string().refine(isValidPsid, 'expected 1 to 32 digits'),
  name: z.string().nullish(),
  phone_numbers: strings,
  emails: strings,
  /** male | female | unknown; another value reads as not known (null). */
  gender: z.string().nullish(),
  /** YYYY-MM-DD, unknown parts 00; another form reads as not known (null). */
  birthday: z.string().nullish(),
  lives_in: z.string().nullish(),
  /** Naive UTC, with or without fractions: 2021-08-26T06:29:56 or 2019-08-24T14:15:22.000000. */
  inserted_at: naiveUtc.nullish(),
  updated_at: naiveUtc.nullish(),
  notes: z.array(RawNoteSchema).nullish(),
});

export const RawListResponseSchema = z.object({
  total: z.int().min(0),
  customers: z.array(RawCustomerSchema),
  success: z.literal(true),
});

export type RawNoteAuthor = z.infer<typeof RawNoteAuthorSchema>;
export type RawNote = z.infer<typeof RawNoteSchema>;
export type RawCustomer = z.infer<typeof RawCustomerSchema>;
export type RawListResponse = z.infer<typeof RawListResponseSchema>;

export type RawGender = 'male' | 'female' | 'unknown';

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
