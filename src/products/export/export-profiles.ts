// The export's profiles: the gateway's own Customer shape, or a CRM's contact fields (the
// mapping table in the README). Pure: one mirrored customer in, one line's fields out.
import type { CustomerRecord } from '../../pancake/pancake.model.js';

export const EXPORT_PROFILES = ['gateway', 'hubspot', 'salesforce'] as const;
export type ExportProfile = (typeof EXPORT_PROFILES)[number];

/** One mirrored customer as the export reads it. */
export interface ExportedCustomer {
  record: CustomerRecord;
  /** The phones that parse, in E.164, stored order (the mirror's search keys). */
  phonesE164: string[];
  avatarUrl: string;
  cursor: string;
}

/** Salesforce Contact field lengths: longer values are refused by its API, so they are cut. */
const SALESFORCE_FIRST_NAME_MAX = 40;
const SALESFORCE_LAST_NAME_MAX = 80;
/** Salesforce requires LastName: a customer without a name still gets a row. */
export const SALESFORCE_NO_NAME = '(no name)';
const LIST_SEPARATOR = ';';

/** CSV columns (and the NDJSON keys of the CRM profiles), in order; `cursor` is always last. */
export const PROFILE_COLUMNS: Record<ExportProfile, readonly string[]> = {
  gateway: [
    'id',
    'psid',
    'pageId',
    'globalCustomerId',
    'name',
    'phoneNumbers',
    'emails',
    'gender',
    'livesIn',
    'birthday',
    'insertedAt',
    'updatedAt',
    'avatarUrl',
    'cursor',
  ],
  hubspot: [
    'pancake_id',
    'firstname',
    'lastname',
    'phone',
    'mobilephone',
    'pancake_other_phones',
    'email',
    'date_of_birth',
    'pancake_birthday_raw',
    'pancake_gender',
    'pancake_lives_in',
    'pancake_psid',
    'pancake_page_id',
    'pancake_global_customer_id',
    'pancake_inserted_at',
    'pancake_updated_at',
    'cursor',
  ],
  salesforce: [
    'Pancake_Id__c',
    'FirstName',
    'LastName',
    'Phone',
    'MobilePhone',
    'OtherPhone',
    'Email',
    'Birthdate',
    'Pancake_Birthday_Raw__c',
    'Pancake_Gender__c',
    'Pancake_Lives_In__c',
    'Pancake_PSID__c',
    'Pancake_Page_Id__c',
    'Pancake_Global_Customer_Id__c',
    'Pancake_Inserted_At__c',
    'Pancake_Updated_At__c',
    'cursor',
  ],
};

/** `Nguyễn Văn A` -> first `Nguyễn Văn`, last `A`: split on the last space; one word is the last name. */
export function splitName(name: string | null): { first: string; last: string } {
  const words = (name ?? '').trim().replace(/\s+/g, ' ');
  const space = words.lastIndexOf(' ');
  return space < 0
    ? { first: '', last: words }
    : { first: words.slice(0, space), last: words.slice(space + 1) };
}

/** A birthday a CRM can take as a date (YYYY-MM-DD, every part known and real), else ''. */
export function knownBirthday(birthday: string | null): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday ?? '');
  if (!match) return '';
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year === 0 || month === 0 || day === 0) return '';
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? birthday! : '';
}

/** The NDJSON line's object: the Customer shape (gateway) or the CRM's fields, with its cursor. */
export function profileObject(
  profile: ExportProfile,
  customer: ExportedCustomer,
): Record<string, unknown> {
  if (profile === 'gateway')
    return { ...customer.record, avatarUrl: customer.avatarUrl, cursor: customer.cursor };
  return crmFields(profile, customer);
}

/** The CSV row's cells, in PROFILE_COLUMNS order. */
export function profileCells(profile: ExportProfile, customer: ExportedCustomer): string[] {
  const fields = profile === 'gateway' ? gatewayCells(customer) : crmFields(profile, customer);
  return PROFILE_COLUMNS[profile].map((column) => fields[column] ?? '');
}

function gatewayCells(customer: ExportedCustomer): Record<string, string> {
  const { record } = customer;
  return {
    id: record.id,
    psid: record.psid,
    pageId: record.pageId,
    globalCustomerId: record.globalCustomerId ?? '',
    name: record.name ?? '',
    phoneNumbers: record.phoneNumbers.join(LIST_SEPARATOR),
    emails: record.emails.join(LIST_SEPARATOR),
    gender: record.gender ?? '',
    livesIn: record.livesIn ?? '',
    birthday: record.birthday ?? '',
    insertedAt: record.insertedAt?.toISOString() ?? '',
    updatedAt: record.updatedAt?.toISOString() ?? '',
    avatarUrl: customer.avatarUrl,
    cursor: customer.cursor,
  };
}

function crmFields(
  profile: 'hubspot' | 'salesforce',
  customer: ExportedCustomer,
): Record<string, string> {
  const { record, phonesE164 } = customer;
  const name = splitName(record.name);
  const phone = phonesE164[0] ?? '';
  const mobile = phonesE164[1] ?? '';
  const other = phonesE164.slice(2).join(LIST_SEPARATOR);
  const email = record.emails[0] ?? '';
  const birthdate = knownBirthday(record.birthday);
  const insertedAt = record.insertedAt?.toISOString() ?? '';
  const updatedAt = record.updatedAt?.toISOString() ?? '';
  if (profile === 'hubspot')
    return {
      pancake_id: record.id,
      firstname: name.first,
      lastname: name.last,
      phone,
      mobilephone: mobile,
      pancake_other_phones: other,
      email,
      date_of_birth: birthdate,
      pancake_birthday_raw: record.birthday ?? '',
      pancake_gender: record.gender ?? '',
      pancake_lives_in: record.livesIn ?? '',
      pancake_psid: record.psid,
      pancake_page_id: record.pageId,
      pancake_global_customer_id: record.globalCustomerId ?? '',
      pancake_inserted_at: insertedAt,
      pancake_updated_at: updatedAt,
      cursor: customer.cursor,
    };
  return {
    Pancake_Id__c: record.id,
    FirstName: cut(name.first, SALESFORCE_FIRST_NAME_MAX),
    LastName: cut(name.last, SALESFORCE_LAST_NAME_MAX) || SALESFORCE_NO_NAME,
    Phone: phone,
    MobilePhone: mobile,
    OtherPhone: other,
    Email: email,
    Birthdate: birthdate,
    Pancake_Birthday_Raw__c: record.birthday ?? '',
    Pancake_Gender__c: record.gender ?? '',
    Pancake_Lives_In__c: record.livesIn ?? '',
    Pancake_PSID__c: record.psid,
    Pancake_Page_Id__c: record.pageId,
    Pancake_Global_Customer_Id__c: record.globalCustomerId ?? '',
    Pancake_Inserted_At__c: insertedAt,
    Pancake_Updated_At__c: updatedAt,
    cursor: customer.cursor,
  };
}

/** At most `max` characters, counted as code points so no surrogate pair is split. */
function cut(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, max).join('');
}
