import type { CustomerRecord } from '../../pancake/pancake.model.js';
import {
  knownBirthday,
  PROFILE_COLUMNS,
  profileCells,
  profileObject,
  SALESFORCE_NO_NAME,
  splitName,
  type ExportedCustomer,
} from './export-profiles.js';

const record: CustomerRecord = {
  id: '3f2b1c4d-1111-4222-8333-444455556666',
  psid: '5834792348923482',
  pageId: '111',
  globalCustomerId: 'c0ffee00-1111-4222-8333-444455556666',
  name: 'Nguyễn Văn An',
  phoneNumbers: ['090 123-4567', 'garbage', '0912345678', '+84987654321'],
  emails: ['an@example.com', 'an2@example.com'],
  gender: 'male',
  livesIn: 'Hà Nội',
  birthday: '1998-00-00',
  insertedAt: new Date('2025-01-31T17:00:00Z'),
  updatedAt: new Date('2025-02-01T00:00:00Z'),
  notes: [],
};
const customer: ExportedCustomer = {
  record,
  phonesE164: ['+84901234567', '+84912345678', '+84987654321'],
  avatarUrl: 'https://example.test/avatar',
  cursor: 'CURSOR',
};

describe('splitName', () => {
  it.each([
    ['Nguyễn Văn An', 'Nguyễn Văn', 'An'],
    ['  Nguyễn   Văn  An ', 'Nguyễn Văn', 'An'],
    ['Madonna', '', 'Madonna'],
    [null, '', ''],
  ])('%s -> first %s, last %s', (name, first, last) => {
    expect(splitName(name)).toEqual({ first, last });
  });
});

describe('knownBirthday', () => {
  it.each([
    ['1998-04-30', '1998-04-30'],
    ['1998-00-00', ''],
    ['0000-04-30', ''],
    ['1998-04-00', ''],
    ['1998-02-30', ''],
    [null, ''],
  ])('%s -> %s', (birthday, date) => {
    expect(knownBirthday(birthday)).toBe(date);
  });
});

describe('profiles', () => {
  it('gateway: the Customer shape with its cursor', () => {
    expect(profileObject('gateway', customer)).toEqual({
      ...record,
      avatarUrl: customer.avatarUrl,
      cursor: 'CURSOR',
    });
  });

  it('gateway CSV: scalar cells, lists joined with ;', () => {
    const cells = profileCells('gateway', customer);
    expect(cells).toHaveLength(PROFILE_COLUMNS.gateway.length);
    expect(cells[PROFILE_COLUMNS.gateway.indexOf('phoneNumbers')]).toBe(
      '090 123-4567;garbage;0912345678;+84987654321',
    );
    expect(cells[PROFILE_COLUMNS.gateway.indexOf('insertedAt')]).toBe('2025-01-31T17:00:00.000Z');
  });

  it('hubspot: split name, E.164 phones first first, birthday raw kept, ids kept', () => {
    expect(profileObject('hubspot', customer)).toEqual({
      pancake_id: record.id,
      firstname: 'Nguyễn Văn',
      lastname: 'An',
      phone: '+84901234567',
      mobilephone: '+84912345678',
      pancake_other_phones: '+84987654321',
      email: 'an@example.com',
      date_of_birth: '',
      pancake_birthday_raw: '1998-00-00',
      pancake_gender: 'male',
      pancake_lives_in: 'Hà Nội',
      pancake_psid: record.psid,
      pancake_page_id: '111',
      pancake_global_customer_id: record.globalCustomerId,
      pancake_inserted_at: '2025-01-31T17:00:00.000Z',
      pancake_updated_at: '2025-02-01T00:00:00.000Z',
      cursor: 'CURSOR',
    });
  });

  it('every profile fills its columns in the documented order', () => {
    for (const profile of ['gateway', 'hubspot', 'salesforce'] as const) {
      const cells = profileCells(profile, customer);
      expect(cells).toHaveLength(PROFILE_COLUMNS[profile].length);
      expect(cells.at(-1)).toBe('CURSOR');
    }
    expect(Object.keys(profileObject('salesforce', customer))).toEqual(PROFILE_COLUMNS.salesforce);
    expect(Object.keys(profileObject('hubspot', customer))).toEqual(PROFILE_COLUMNS.hubspot);
  });

  it('salesforce: a last name always, names cut to the field lengths', () => {
    const nameless = profileObject('salesforce', {
      ...customer,
      record: { ...record, name: null },
    });
    expect(nameless).toEqual(
      expect.objectContaining({ FirstName: '', LastName: SALESFORCE_NO_NAME }),
    );
    const long = profileObject('salesforce', {
      ...customer,
      record: { ...record, name: `${'Ễ'.repeat(50)} ${'B'.repeat(90)}`, birthday: '1998-04-30' },
    });
    expect(long).toEqual(
      expect.objectContaining({
        FirstName: 'Ễ'.repeat(40),
        LastName: 'B'.repeat(80),
        Birthdate: '1998-04-30',
        OtherPhone: '+84987654321',
      }),
    );
  });
});
