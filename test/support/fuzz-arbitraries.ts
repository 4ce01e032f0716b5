/**
 * fast-check arbitraries for test/fuzz.e2e-spec.ts: inputs the gateway must refuse.
 *
 * Every arbitrary here that is named `bad*` / `invalid*` yields only values the gateway's rules
 * refuse (checked against copies of those rules where a random value could be valid by chance),
 * so a fuzz run can demand a 4xx and zero upstream requests for each one.
 */
import fc from 'fast-check';
import { ALL_TIME } from './gateway.js';

// ---------------------------------------------------------------------------------------------
// Copies of the gateway's shape rules (src/pancake/path-segments.ts and the policies): used only
// to filter out values a generator might produce that happen to be valid.
// ---------------------------------------------------------------------------------------------

export const PAGE_ID_RULE = /^[0-9]{1,32}$/;
export const CUSTOMER_ID_RULE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NOTE_ID_RULE = /^[A-Za-z0-9_-]{1,64}$/;
const GENDERS = ['male', 'female', 'unknown'];
const ISO_DATE_TIME_PREFIX = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}/;

/** Pages the test stack configures (a page id outside this list is well-formed but unknown). */
export const CONFIGURED_PAGES = ['111', '222', '333'];

/**
 * find-my-way (Fastify's router) refuses a path parameter longer than this with its own 414
 * body; the main properties stay under it and a regression test covers what lies beyond.
 */
export const MAX_ENCODED_SEGMENT = 100;

/**
 * Keys named like an Object.prototype member (and `prototype`) are dropped silently by the
 * validation pipe instead of being refused as unknown fields: a regression test covers them, the main
 * properties leave them out of their "unknown key" generators.
 */
export const PROTOTYPE_NAMED_KEYS = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
].sort();

const isPrototypeNamed = (key: string): boolean => PROTOTYPE_NAMED_KEYS.includes(key);

// ---------------------------------------------------------------------------------------------
// Characters and strings
// ---------------------------------------------------------------------------------------------

/** Odd code units and sequences: controls, bidi overrides, zero-width, astral, lone surrogates. */
export const ODD_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u00ad',
  '\u0301',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\u3000',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '😀',
  '👨‍👩‍👧',
  '🏳️‍🌈',
  '𝔘𝔫𝔦',
  'ﷺ',
  'İ',
  'ß',
  'Ω',
  '漢字',
  'العربية',
  'é',
  '\t',
  '\n',
  '\r',
];

/** Strings every fuzzer tries. */
export const CLASSIC_STRINGS = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f',
  '%00',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  'true',
  '[object Object]',
  '${7*7}',
  '{{7*7}}',
  "' OR '1'='1",
  '"; DROP TABLE customers; --',
  '<script>alert(1)</script>',
  '\u202egnp.exe',
  '__proto__',
  'constructor',
  '0x10',
  '-1',
  '1e309',
];

export const oddUnicode: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...ODD_CHARS), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''));

/** Short strings of any kind: random, binary (lone surrogates too), graphemes, odd unicode. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  oddUnicode,
  fc.constantFrom(...CLASSIC_STRINGS),
);

const word = fc.stringMatching(/^[A-Za-z]{1,8}$/);

/** Some non-whitespace text around one odd piece, so trimming cannot remove it. */
const around = (middle: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(word, middle, word).map(([a, m, b]) => `${a}${m}${b}`);

/** Only what String.prototype.trim removes (an empty string included). */
export const whitespaceOnly: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r',
      '\r\n',
      '\u000b',
      '\u00a0',
      '\u2028',
      '\u3000',
      '\ufeff',
    ),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

/** `count` code points of one character: long strings that shrink cheaply. */
const repeated = (min: number, max: number, chars: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom(...chars))
    .map(([count, char]) => char.repeat(count));

const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];

// ---------------------------------------------------------------------------------------------
// JSON values of the wrong type
// ---------------------------------------------------------------------------------------------

/** A key that is none of `known` and not named like an Object.prototype member. */
export const unknownKey = (known: readonly string[]): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.constantFrom(
        'emails',
        'livesIn',
        'phone_numbers',
        'id',
        'psid',
        'pageId',
        'notes',
        'avatarUrl',
        'Name',
        'MESSAGE',
        'name ',
        ' message',
        'message\u0000',
        '',
        '$where',
        'a.b',
        'a[0]',
      ),
      nastyString,
    )
    .filter((key) => !known.includes(key) && !isPrototypeNamed(key));

const nonIntegerDouble = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((d) => !Number.isInteger(d));

/** Nested containers up to `depth` (shallow enough for every parser on the way). */
export const nested = (depth: number, kind: 'array' | 'object', leaf: unknown = 1): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
};

/** Deep (2..50 levels) arrays or objects: the main properties' "nested deep objects". */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 2, max: 50 }), fc.constantFrom('array' as const, 'object' as const))
  .map(([depth, kind]) => nested(depth, kind));

/** Any JSON value but a string: numbers, booleans, null, arrays, objects, deep nesting. */
export const nonStringJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  nonIntegerDouble,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
    minKeys: 1,
    maxKeys: 3,
  }),
  deepValue,
);

/** Any JSON value at all (for unknown keys). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nonStringJson,
  fc.jsonValue({ maxDepth: 2 }),
);

// ---------------------------------------------------------------------------------------------
// Field values the policies refuse
// ---------------------------------------------------------------------------------------------

/** Customer names: empty, too long (> 200 code points), control or line-break chars, lone surrogates, not strings. */
export const invalidName: fc.Arbitrary<unknown> = fc.oneof(
  whitespaceOnly,
  repeated(201, 1200, ['a', 'é', '漢', '😀']),
  around(
    fc.constantFrom(
      '\u0000',
      '\u0001',
      '\t',
      '\n',
      '\r',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u2028',
      '\u2029',
    ),
  ),
  around(fc.constantFrom(...LONE_SURROGATES)),
  nonStringJson,
);

/** Phone numbers: letters, extensions, too long, too short, not digits, not strings. */
export const invalidPhone: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '   ',
    'call me',
    '0901234567 ext 12',
    '0901234567x1',
    '090+1234567',
    '123',
    '0101234567',
    '+1 000 000 0000',
    '０９０１２３４５６７',
    '٠٩٠١٢٣٤٥٦٧',
    'tel:0901234567',
    '0901234567\u0000',
    '\u202e0901234567',
    '+84 90 123 4567 😀',
    '+84\ud80090 123 4567',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[0-9]{3,8}$/),
      fc.constantFrom('x', '#', '*', '/', 'ext', 'a', '😀', '\u0000', '+', ','),
      fc.stringMatching(/^[0-9]{0,6}$/),
    )
    .map(([a, b, c]) => `${a}${b}${c}`),
  repeated(33, 300, ['9', '1']),
  nonStringJson,
);

const validPhone = fc.constantFrom('0901234567', '+84 91 234 5678', '(090) 123.4568');

/** A phone list the gateway refuses: an invalid entry, > 20 entries, or not a list (REST). */
export const invalidPhoneList = (options: { allowEmpty: boolean }): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc
      .tuple(
        fc.array(validPhone, { maxLength: 3 }),
        invalidPhone,
        fc.array(validPhone, { maxLength: 2 }),
      )
      .map(([before, bad, after]) => [...before, bad, ...after]),
    fc
      .integer({ min: 21, max: 40 })
      .map((n) => Array.from({ length: n }, (_, i) => `09012345${String(i).padStart(2, '0')}`)),
    fc.oneof(nastyString, fc.integer(), fc.boolean(), fc.constant({}), fc.constant('0901234567')),
    ...(options.allowEmpty ? [fc.constant([])] : []),
  );

/** Genders: anything but male/female/unknown in some case. */
export const invalidGender: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.constantFrom(
      'm',
      'f',
      'Male ',
      ' male',
      'males',
      'other',
      'MALE\u0000',
      'ｍａｌｅ',
      'männlich',
    ),
    nastyString,
    fc.constantFrom(1, 0, true, ['male'], { male: true }),
  )
  .filter((g) => !(typeof g === 'string' && GENDERS.includes(g.toLowerCase())));

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Birthdays: not YYYY-MM-DD, impossible dates, before 1900, in the future, not strings. */
export const invalidBirthday: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '1990/05/12',
    '1990-5-12',
    '12-05-1990',
    '1990-05-12T00:00:00Z',
    ' 1990-05-12',
    '1990-05-12 ',
    '١٩٩٠-٠٥-١٢',
    '1998-00-00',
    '2023-02-29',
    '1900-02-29',
    '+1990-05-12',
    '1990-05-1\u202e2',
  ),
  nastyString.filter((s) => !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)),
  fc
    .tuple(
      fc.integer({ min: 1900, max: 2025 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .filter(([y, m, d]) => m < 1 || m > 12 || d < 1 || d > daysIn(y, m))
    .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`),
  fc.integer({ min: 0, max: 1899 }).map((y) => `${pad(y, 4)}-06-15`),
  fc.integer({ min: 2100, max: 9999 }).map((y) => `${y}-01-01`),
  nonStringJson,
);

/** Note messages: empty or blank, > 5000 code points, control chars, lone surrogates, not strings. */
export const invalidMessage: fc.Arbitrary<unknown> = fc.oneof(
  whitespaceOnly,
  repeated(5001, 12_000, ['x', 'é', '漢', '😀']),
  around(
    fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0007',
      '\b',
      '\u000b',
      '\u000c',
      '\u000e',
      '\u001b',
      '\u001f',
      '\u007f',
      '\u0080',
      '\u0085',
      '\u009f',
    ),
  ),
  around(fc.constantFrom(...LONE_SURROGATES)),
  nonStringJson,
);

// ---------------------------------------------------------------------------------------------
// Path segments
// ---------------------------------------------------------------------------------------------

/** What a fault is expected to yield: refused as bad input, or well-formed but unknown (404). */
export type FaultTag = 'bad' | 'unknown';

export interface Segment {
  /** As it goes in the URL: always valid percent-encoding. */
  encoded: string;
  tag: FaultTag;
}

/** Percent-encodes UTF-8 bytes (lone surrogates become U+FFFD), keeping unreserved ASCII. */
export function percentEncode(raw: string): string {
  let out = '';
  for (const byte of Buffer.from(raw, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Pre-encoded path tricks: traversal, encoded separators and NULs, double encoding. */
export const PATH_TRICKS = [
  '..',
  '.',
  '../..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2f',
  '%252e%252e%252f',
  '..%5c..%5c',
  '..\\..\\etc',
  '%00',
  'a%00b',
  '%2F',
  '%2f%2f',
  '%252F',
  '%20',
  '+',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%EF%BF%BD',
  ';x=1',
  'a;b=c',
  '~',
  '*',
  "'",
  '%22',
  '%3Cscript%3E',
];

const encodedSegment = (raw: fc.Arbitrary<string>, tag: FaultTag): fc.Arbitrary<Segment> =>
  raw
    .map((value) => ({ encoded: percentEncode(value), tag }))
    .filter((s) => s.encoded.length > 0 && s.encoded.length <= MAX_ENCODED_SEGMENT);

const trick: fc.Arbitrary<Segment> = fc
  .constantFrom(...PATH_TRICKS)
  .map((encoded) => ({ encoded, tag: 'bad' as const }));

/** Ids the gateway refuses as malformed: any string failing `rule`, up to 100 encoded chars. */
const malformedId = (rule: RegExp, longChars: string): fc.Arbitrary<Segment> =>
  fc.oneof(
    encodedSegment(
      fc
        .oneof(nastyString, oddUnicode, repeated(65, 100, [longChars]))
        .filter((s) => !rule.test(s)),
      'bad',
    ),
    trick,
  );

/** A page id that is not 1..32 digits, or well-formed but not configured (404). */
export const badPageId: fc.Arbitrary<Segment> = fc.oneof(
  malformedId(PAGE_ID_RULE, '1'),
  fc
    .oneof(fc.constantFrom('999', '0', '1', '0111'), fc.stringMatching(/^[0-9]{1,32}$/))
    .filter((id) => !CONFIGURED_PAGES.includes(id))
    .map((encoded) => ({ encoded, tag: 'unknown' as const })),
);

/** A page id or psid the avatar route refuses (syntax only: it never looks a page up). */
export const malformedDigitsId: fc.Arbitrary<Segment> = malformedId(PAGE_ID_RULE, '1');

/** A customer id that is not a UUID, or a UUID the gateway has never seen (404). */
export const badCustomerId: fc.Arbitrary<Segment> = fc.oneof(
  malformedId(CUSTOMER_ID_RULE, 'a'),
  fc
    .uuid()
    .chain((uuid) =>
      fc.constantFrom(
        `${uuid}x`,
        `{${uuid}}`,
        uuid.replace(/-/g, ''),
        ` ${uuid}`,
        `${uuid.slice(0, 35)}g`,
        `${uuid}\u0000`,
        `${uuid}/..`,
      ),
    )
    .map((raw) => ({ encoded: percentEncode(raw), tag: 'bad' as const })),
  fc.uuid().map((encoded) => ({ encoded, tag: 'unknown' as const })),
);

/** A customer id that is not a UUID (no unknown-but-valid ones). */
export const malformedCustomerId: fc.Arbitrary<Segment> = malformedId(CUSTOMER_ID_RULE, 'a');

/** A note id outside 1..64 of letters, digits, `_`, `-`. */
export const badNoteId: fc.Arbitrary<Segment> = malformedId(NOTE_ID_RULE, 'n');

// ---------------------------------------------------------------------------------------------
// REST bodies
// ---------------------------------------------------------------------------------------------

/** A request body: a JSON value sent as application/json, or raw text with its content type. */
export type Body =
  { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };

const json = (value: unknown): Body => ({ kind: 'json', value });
const raw = (text: string, contentType = 'application/json'): Body => ({
  kind: 'raw',
  text,
  contentType,
});

/** JSON text no JSON parser accepts. */
export const malformedJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"name": "An",',
    "{'name': 'An'}",
    '{name: "An"}',
    '{"name": "An"}}',
    '{"name": "An",}',
    '[1, 2',
    '{"name": undefined}',
    '{"name": NaN}',
    '{"pageSize": 01}',
    '{"pageSize": .5}',
    '{"pageSize": 1e}',
    '{"name": "\u0001"}',
    '{"name": "\\x41"}',
    '{"name": "\\u12"}',
    'nul',
    'tru',
    '<xml/>',
    '\u0000',
    '{"__proto__": ',
  ),
  // A complete JSON text followed by something that is not whitespace is never JSON.
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('}', ']', ',', '{', ':', '"', 'x', '\u0000'),
    )
    .map(([value, junk]) => `${JSON.stringify(value)}${junk}`),
  // A proper prefix of an object, array or string text is never JSON either.
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => JSON.stringify(value))
    .filter((text) => /^[[{"]/.test(text) && text.length > 1)
    .chain((text) => fc.integer({ min: 1, max: text.length - 1 }).map((cut) => text.slice(0, cut))),
);

/** JSON that is valid but not an object. */
export const nonObjectJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  nastyString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  deepValue.filter(Array.isArray),
);

/**
 * Content types the JSON routes do not accept. Left out on purpose: `application/json` with
 * parameters (accepted, as it should be) and `application/x-www-form-urlencoded`, which a regression
 * test covers (it was once accepted and reached upstream).
 */
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/xml',
  'text/html',
  'multipart/form-data; boundary=----fuzz',
  'application/octet-stream',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/vnd.api+json',
  'text/json',
  'application/javascript',
  'application/jsonx',
  'image/png',
  '*/*',
  'application/*',
];

/** Bodies that are wrong whatever the route: malformed, not an object, wrong content type. */
export const genericBadBody = (validObject: unknown): fc.Arbitrary<Body> =>
  fc.oneof(
    malformedJsonText.map((text) => raw(text)),
    nonObjectJson.map((value) => raw(JSON.stringify(value))),
    fc
      .tuple(
        fc.constantFrom(...WRONG_CONTENT_TYPES),
        fc.oneof(
          fc.constant(JSON.stringify(validObject)),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
          nastyString,
        ),
      )
      .map(([contentType, text]) => raw(text, contentType)),
  );

/** A body with at least one change the update policy refuses, next to valid ones. */
export const badCustomerChanges: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        name: fc.constantFrom('Fuzz Name', 'Trần Thị Mai', '山田 太郎'),
        gender: fc.constantFrom('male', 'FEMALE', 'unknown'),
        birthday: fc.constantFrom('1990-02-28', '2000-02-29'),
        phoneNumbers: fc.constantFrom(['0901234567'], []),
      },
      { requiredKeys: [] },
    ),
    fc.array(
      fc.oneof(
        fc.tuple(fc.constant('name'), invalidName),
        fc.tuple(fc.constant('phoneNumbers'), invalidPhoneList({ allowEmpty: false })),
        fc.tuple(fc.constant('gender'), invalidGender),
        fc.tuple(fc.constant('birthday'), invalidBirthday),
        fc.tuple(fc.constantFrom('name', 'phoneNumbers', 'gender', 'birthday'), fc.constant(null)),
        fc.tuple(unknownKey(['name', 'phoneNumbers', 'gender', 'birthday']), anyJson),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([valid, bad]) => ({ ...valid, ...Object.fromEntries(bad) }));

export const badCustomerBody: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: badCustomerChanges.map(json), weight: 4 },
  { arbitrary: fc.constant(json({})), weight: 1 },
  { arbitrary: genericBadBody({ name: 'Fuzz Name' }), weight: 3 },
);

export const badPhoneNumbersBody: fc.Arbitrary<Body> = fc.oneof(
  {
    arbitrary: invalidPhoneList({ allowEmpty: true }).map((v) => json({ phoneNumbers: v })),
    weight: 4,
  },
  { arbitrary: fc.constant(json({})), weight: 1 },
  {
    arbitrary: fc
      .tuple(unknownKey(['phoneNumbers']), anyJson)
      .map(([key, value]) => json({ phoneNumbers: ['0901234567'], [key]: value })),
    weight: 2,
  },
  { arbitrary: genericBadBody({ phoneNumbers: ['0901234567'] }), weight: 3 },
);

export const badNoteBody: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: invalidMessage.map((message) => json({ message })), weight: 4 },
  { arbitrary: fc.constant(json({})), weight: 1 },
  {
    arbitrary: fc
      .tuple(unknownKey(['message']), anyJson, fc.option(invalidMessage, { nil: undefined }))
      .map(([key, value, bad]) => json({ message: bad ?? 'Fuzz note', [key]: value })),
    weight: 2,
  },
  { arbitrary: genericBadBody({ message: 'Fuzz note' }), weight: 3 },
);

/** Valid bodies, sent when another part of the request (path, header) is the fault. */
export const anyCustomerBody = fc.oneof(fc.constant(json({ name: 'Fuzz Name' })), badCustomerBody);
export const anyPhoneNumbersBody = fc.oneof(
  fc.constant(json({ phoneNumbers: ['0901234567'] })),
  badPhoneNumbersBody,
);
export const anyNoteBody = fc.oneof(fc.constant(json({ message: 'Fuzz note' })), badNoteBody);

/** Idempotency-Key values the store refuses that an HTTP client can still send (latin1, no C0 but tab). */
export const badIdempotencyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '   ', '\t'),
  repeated(256, 1000, ['k', '-', 'é', '9']),
  fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
      fc.constantFrom('\t', '\u0080', '\u0085', '\u009b', '\u009f'),
      fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
    )
    .map(([a, c, b]) => `${a}${c}${b}`),
);

// ---------------------------------------------------------------------------------------------
// List query
// ---------------------------------------------------------------------------------------------

export type QueryPair = [key: string, value: string];

const LIST_KEYS = ['since', 'until', 'pageNumber', 'pageSize', 'orderBy'];

/** How the gateway reads pageNumber/pageSize today (`Number(value)`), to keep only refused ones. */
const numberIn = (value: string, min: number, max: number): boolean => {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max;
};

const badDateTime = fc.oneof(
  fc.constantFrom(
    '',
    'yesterday',
    '2024-01-01',
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '2024-01-01T00:00:00+25:00',
    '1999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2100-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '1704067200000',
    '2024-01-01T00:00:00Z\u0000',
    '２０２４-01-01T00:00:00Z',
    '2024-01-01T00:00:00\u202eZ',
  ),
  nastyString.filter((s) => !ISO_DATE_TIME_PREFIX.test(s)),
);

const badPageSize = fc
  .oneof(
    fc.constantFrom(
      '0',
      '101',
      '-1',
      '1.5',
      'abc',
      '',
      'NaN',
      'Infinity',
      '1e400',
      '99999999999999999999',
      'null',
    ),
    fc.integer({ min: 101, max: 2 ** 31 }).map(String),
    fc.integer({ min: -(2 ** 31), max: 0 }).map(String),
    nastyString,
  )
  .filter((v) => !numberIn(v, 1, 100));

const badPageNumber = fc
  .oneof(
    fc.constantFrom('0', '-1', '10001', '1.5', 'abc', '', 'NaN', '-Infinity', 'null'),
    fc.integer({ min: 10_001, max: 2 ** 31 }).map(String),
    fc.integer({ min: -(2 ** 31), max: 0 }).map(String),
    nastyString,
  )
  .filter((v) => !numberIn(v, 1, 10_000));

const badOrderBy = fc
  .oneof(
    fc.constantFrom(
      'INSERTED_AT',
      'InsertedAt', // insertedAt and updatedAt are accepted (camelCase aliases); case still counts
      'updatedat',
      'name',
      'inserted_at ',
      'updated_at\u0000',
      '',
      'inserted_at,updated_at',
    ),
    nastyString,
  )
  .filter((v) => v !== 'inserted_at' && v !== 'updated_at');

type Param = { pairs: QueryPair[]; ok: boolean };
const param = (
  key: string,
  valid: string[],
  bad: fc.Arbitrary<string>,
  optional: boolean,
): fc.Arbitrary<Param> =>
  fc.oneof(
    {
      arbitrary: fc
        .constantFrom(...valid)
        .map((v) => ({ pairs: [[key, v]] as QueryPair[], ok: true })),
      weight: 3,
    },
    { arbitrary: bad.map((v) => ({ pairs: [[key, v]] as QueryPair[], ok: false })), weight: 1 },
    // Given twice: an array where one value is expected.
    {
      arbitrary: fc.constantFrom(...valid).map((v) => ({
        pairs: [
          [key, v],
          [key, v],
        ] as QueryPair[],
        ok: false,
      })),
      weight: 1,
    },
    { arbitrary: fc.constant({ pairs: [] as QueryPair[], ok: optional }), weight: 1 },
  );

/** A list query with at least one refused part (since > until counts), in a shuffled order. */
export const badListQuery: fc.Arbitrary<QueryPair[]> = fc
  .record({
    since: param('since', [ALL_TIME.since, '2024-01-01T07:00:00+07:00'], badDateTime, false),
    until: param('until', [ALL_TIME.until], badDateTime, false),
    pageNumber: param('pageNumber', ['1', '2'], badPageNumber, true),
    pageSize: param('pageSize', ['1', '25', '100'], badPageSize, true),
    orderBy: param(
      'orderBy',
      ['inserted_at', 'updated_at', 'insertedAt', 'updatedAt'],
      badOrderBy,
      true,
    ),
    swapWindow: fc.boolean(),
    unknown: fc.array(fc.tuple(unknownKey(LIST_KEYS), nastyString), { maxLength: 2 }),
  })
  .map((q) => {
    const valid = [q.since, q.until, q.pageNumber, q.pageSize, q.orderBy].every((p) => p.ok);
    let pairs = [q.since, q.until, q.pageNumber, q.pageSize, q.orderBy].flatMap((p) => p.pairs);
    // Both window ends valid: swapping them gives since > until.
    const swap = q.swapWindow && q.since.ok && q.until.ok;
    if (swap) {
      pairs = pairs.map(([k, v]): QueryPair =>
        k === 'since'
          ? ['since', ALL_TIME.until]
          : k === 'until'
            ? ['until', ALL_TIME.since]
            : [k, v],
      );
    }
    return { pairs: [...pairs, ...q.unknown], refused: !valid || swap || q.unknown.length > 0 };
  })
  .filter((q) => q.refused)
  .map((q) => q.pairs);

export const queryString = (pairs: QueryPair[]): string =>
  pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

/** An enum value: a bare name in a literal, a string in variables. */
export class EnumValue {
  constructor(readonly name: string) {}
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A GraphQL literal for `value`: JSON.stringify escapes strings the way GraphQL reads them. */
export function graphqlLiteral(value: unknown): string {
  if (value instanceof EnumValue) {
    return GRAPHQL_NAME.test(value.name) && !['true', 'false', 'null'].includes(value.name)
      ? value.name
      : JSON.stringify(value.name);
  }
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '"NaN"';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(graphqlLiteral).join(', ')}]`;
  const fields = Object.entries(value as Record<string, unknown>).map(
    ([key, v], i) => `${GRAPHQL_NAME.test(key) ? key : `k${i}`}: ${graphqlLiteral(v)}`,
  );
  return `{${fields.join(', ')}}`;
}

/** The JSON form of a value for `variables` (enum values become their names). */
export function variableValue(value: unknown): unknown {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(variableValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, variableValue(v)]),
    );
  }
  return value;
}

export interface ArgSpec {
  name: string;
  /** The argument's declared type, e.g. `ID!`. */
  type: string;
  valid: fc.Arbitrary<unknown>;
  /** Values refused with BAD_USER_INPUT (`bad`) or NOT_FOUND (`unknown`). */
  invalid: fc.Arbitrary<{ value: unknown; tag: FaultTag }>;
}

export interface OperationSpec {
  kind: 'query' | 'mutation';
  field: string;
  selection: string;
  args: ArgSpec[];
}

export interface GeneratedArg {
  name: string;
  type: string;
  /** undefined: left out of the operation. */
  value: unknown;
  tag: FaultTag | 'ok';
}

export type DocumentFault = 'none' | 'unknownArgument' | 'wrongVariableType' | 'missingArgument';

export interface GraphqlCase {
  op: OperationSpec;
  args: GeneratedArg[];
  mode: 'variables' | 'inline';
  fault: DocumentFault;
}

const bad = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: unknown; tag: FaultTag }> =>
  arb.map((value) => ({ value, tag: 'bad' as const }));

/** Values of the wrong GraphQL type for a scalar argument (never null for a nullable one). */
const wrongScalar = (
  scalar: 'ID' | 'String' | 'Int' | 'DateTime',
  nullable: boolean,
): fc.Arbitrary<unknown> => {
  const options: fc.Arbitrary<unknown>[] = [
    fc.boolean(),
    nonIntegerDouble,
    fc.constant({}),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue({ maxDepth: 1 }), {
      minKeys: 1,
      maxKeys: 2,
    }),
    fc.array(fc.oneof(fc.boolean(), fc.constant(null), fc.constant({})), {
      minLength: 1,
      maxLength: 2,
    }),
    deepValue,
  ];
  // ID takes integers (as digits) and Int takes none of these strings.
  if (scalar === 'String' || scalar === 'DateTime') options.push(fc.integer());
  if (scalar === 'Int')
    options.push(nastyString, fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }));
  if (!nullable) options.push(fc.constant(null));
  return fc.oneof(...options);
};

const hugeString = repeated(5001, 12_000, ['x', '9', 'é', '😀']);

/** ID arguments. */
const pageIdArg = (): ArgSpec => ({
  name: 'pageId',
  type: 'ID!',
  valid: fc.constant('111'),
  invalid: fc.oneof(
    bad(
      fc
        .oneof(nastyString, oddUnicode, hugeString, fc.constantFrom(...CLASSIC_STRINGS))
        .filter((s) => !PAGE_ID_RULE.test(s)),
    ),
    bad(wrongScalar('ID', false)),
    fc
      .oneof(fc.constantFrom('999', '0'), fc.stringMatching(/^[0-9]{1,32}$/))
      .filter((id) => !CONFIGURED_PAGES.includes(id))
      .map((value) => ({ value, tag: 'unknown' as const })),
  ),
});

const customerIdArg = (name: string, known: string[], allowUnknown: boolean): ArgSpec => ({
  name,
  type: 'ID!',
  valid: fc.constantFrom(...known),
  invalid: fc.oneof(
    bad(
      fc
        .oneof(
          nastyString,
          oddUnicode,
          hugeString,
          fc.uuid().map((u) => `${u}\u0000`),
          fc.uuid().map((u) => `{${u}}`),
        )
        .filter((s) => !CUSTOMER_ID_RULE.test(s)),
    ),
    bad(wrongScalar('ID', false)),
    bad(fc.integer()),
    ...(allowUnknown ? [fc.uuid().map((value) => ({ value, tag: 'unknown' as const }))] : []),
  ),
});

const noteIdArg = (known: string[]): ArgSpec => ({
  name: 'noteId',
  type: 'ID!',
  valid: fc.constantFrom(...known),
  invalid: fc.oneof(
    bad(
      fc
        .oneof(nastyString, oddUnicode, hugeString, repeated(65, 200, ['n']))
        .filter((s) => !NOTE_ID_RULE.test(s)),
    ),
    bad(wrongScalar('ID', false)),
  ),
});

const messageArg = (): ArgSpec => ({
  name: 'message',
  type: 'String!',
  valid: fc.constantFrom('Fuzz note', 'Ghi chú 😀'),
  invalid: fc.oneof(
    bad(invalidMessage.filter((m) => typeof m === 'string')),
    bad(wrongScalar('String', false)),
  ),
});

const dateTimeArg = (name: 'since' | 'until', valid: string): ArgSpec => ({
  name,
  type: 'DateTime!',
  valid: fc.constant(valid),
  invalid: fc.oneof(
    bad(badDateTime),
    // Valid, but on the wrong side of the other end of the window.
    bad(fc.constant(name === 'since' ? '2026-12-31T00:00:01Z' : '2022-12-31T23:59:59Z')),
    bad(wrongScalar('DateTime', false)),
  ),
});

const intArg = (
  name: string,
  validRange: [number, number],
  badValues: fc.Arbitrary<number>,
): ArgSpec => ({
  name,
  type: 'Int',
  valid: fc.oneof(fc.integer({ min: validRange[0], max: validRange[1] }), fc.constant(undefined)),
  invalid: fc.oneof(bad(badValues), bad(wrongScalar('Int', true))),
});

const CHANGE_FIELDS = ['name', 'phoneNumbers', 'gender', 'birthday'];

/** Input-object field names CustomerChangesInput does not define (prototype-named ones too). */
const graphqlUnknownField: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'emails',
      'livesIn',
      'phone_numbers',
      'id',
      'Name',
      'toString',
      'constructor',
      'valueOf',
      '__proto__',
    ),
    fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,10}$/),
  )
  .filter((key) => !CHANGE_FIELDS.includes(key));

/** `changes: CustomerChangesInput!` with at least one refused field, or refused as a whole. */
const changesArg = (): ArgSpec => ({
  name: 'changes',
  type: 'CustomerChangesInput!',
  valid: fc.constantFrom(
    { name: 'Fuzz Name' },
    { gender: new EnumValue('FEMALE') },
    { birthday: '1990-02-28' },
  ),
  invalid: fc.oneof(
    bad(
      fc
        .tuple(
          fc.record(
            {
              name: fc.constant('Fuzz Name'),
              gender: fc.constantFrom(
                ...['MALE', 'FEMALE', 'UNKNOWN'].map((g) => new EnumValue(g)),
              ),
              birthday: fc.constant('1990-02-28'),
              phoneNumbers: fc.constant(['0901234567']),
            },
            { requiredKeys: [] },
          ),
          fc.array(
            fc.oneof(
              fc.tuple(
                fc.constant('name'),
                fc.oneof(
                  invalidName.filter((n) => typeof n === 'string'),
                  wrongScalar('String', true),
                ),
              ),
              fc.tuple(
                fc.constant('birthday'),
                fc.oneof(
                  invalidBirthday.filter((b) => typeof b === 'string'),
                  wrongScalar('String', true),
                ),
              ),
              fc.tuple(
                fc.constant('gender'),
                fc.oneof(
                  fc.constantFrom('male', 'Male', 'OTHER', 'mALE', '').map((g) => new EnumValue(g)),
                  nastyString
                    .filter((g) => !['MALE', 'FEMALE', 'UNKNOWN'].includes(g))
                    .map((g) => new EnumValue(g)),
                  wrongScalar('String', true),
                ),
              ),
              fc.tuple(
                fc.constant('phoneNumbers'),
                fc.oneof(
                  fc
                    .tuple(
                      fc.array(validPhone, { maxLength: 2 }),
                      invalidPhone.filter((p) => typeof p === 'string'),
                    )
                    .map(([a, b]) => [...a, b]),
                  fc.constant([null]),
                  fc.constant([['0901234567']]),
                ),
              ),
              fc.tuple(fc.constantFrom(...CHANGE_FIELDS), fc.constant(null)),
              fc.tuple(graphqlUnknownField, anyJson),
            ),
            { minLength: 1, maxLength: 3 },
          ),
        )
        .map(([valid, broken]) => ({ ...valid, ...Object.fromEntries(broken) })),
    ),
    bad(fc.constant({})),
    bad(
      fc.oneof(
        nastyString,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant([{ name: 'x' }]),
      ),
    ),
  ),
});

const phoneNumbersArg = (): ArgSpec => ({
  name: 'phoneNumbers',
  type: '[String!]!',
  valid: fc.constant(['0901234567']),
  invalid: bad(
    fc.oneof(
      fc.constant([]),
      fc
        .tuple(
          fc.array(validPhone, { maxLength: 2 }),
          invalidPhone.filter((p) => typeof p === 'string'),
        )
        .map(([a, b]) => [...a, b]),
      fc
        .integer({ min: 21, max: 30 })
        .map((n) => Array.from({ length: n }, (_, i) => `09012345${String(i).padStart(2, '0')}`)),
      // A single string is coerced to a one-item list: refused only when it is not a phone number.
      invalidPhone.filter((p) => typeof p === 'string'),
      fc.constant(null),
      fc.constant([null]),
      fc.constant([1, 2]),
      fc.constant([['0901234567']]),
      fc.constant({ phone: '0901234567' }),
      fc.boolean(),
    ),
  ),
});

const idempotencyKeyArg = (): ArgSpec => ({
  name: 'idempotencyKey',
  type: 'String',
  valid: fc.oneof(fc.constant(undefined), fc.constant(null), fc.uuid()),
  invalid: bad(
    fc.oneof(
      fc.constant(''),
      repeated(256, 2000, ['k', '😀', 'é']),
      around(fc.constantFrom('\u0000', '\t', '\n', '\u001b', '\u007f', '\u0085', '\u009f')),
      wrongScalar('String', true),
    ),
  ),
});

const orderByArg = (): ArgSpec => ({
  name: 'orderBy',
  type: 'CustomerOrder',
  valid: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(new EnumValue('INSERTED_AT'), new EnumValue('UPDATED_AT')),
  ),
  invalid: bad(
    fc.oneof(
      fc
        .oneof(fc.constantFrom('inserted_at', 'updated_at', 'NAME', 'INSERTED_at', ''), nastyString)
        .filter((v) => v !== 'INSERTED_AT' && v !== 'UPDATED_AT')
        .map((v) => new EnumValue(v)),
      fc.constantFrom(1, true, ['INSERTED_AT'], { INSERTED_AT: true }),
    ),
  ),
});

/** The seven GraphQL operations of the contract, with valid and refused values per argument. */
export function graphqlOperations(ctx: {
  customerIds: string[];
  noteIds: string[];
}): OperationSpec[] {
  const { customerIds, noteIds } = ctx;
  return [
    {
      kind: 'query',
      field: 'customers',
      selection: '{ total }',
      args: [
        pageIdArg(),
        dateTimeArg('since', ALL_TIME.since),
        dateTimeArg('until', ALL_TIME.until),
        intArg(
          'pageNumber',
          [1, 3],
          fc.oneof(
            fc.integer({ min: -(2 ** 31), max: 0 }),
            fc.integer({ min: 10_001, max: 2 ** 31 - 1 }),
          ),
        ),
        intArg(
          'pageSize',
          [1, 100],
          fc.oneof(
            fc.integer({ min: -(2 ** 31), max: 0 }),
            fc.integer({ min: 101, max: 2 ** 31 - 1 }),
          ),
        ),
        orderByArg(),
      ],
    },
    {
      kind: 'query',
      field: 'customer',
      selection: '{ id }',
      // An unknown but well-formed id answers null, not an error: only malformed ones here.
      args: [pageIdArg(), customerIdArg('id', customerIds, false)],
    },
    {
      kind: 'mutation',
      field: 'updateCustomer',
      selection: '{ id }',
      args: [pageIdArg(), customerIdArg('id', customerIds, true), changesArg()],
    },
    {
      kind: 'mutation',
      field: 'addCustomerPhoneNumbers',
      selection: '{ id }',
      args: [pageIdArg(), customerIdArg('id', customerIds, true), phoneNumbersArg()],
    },
    {
      kind: 'mutation',
      field: 'createNote',
      selection: '{ id }',
      args: [
        pageIdArg(),
        customerIdArg('customerId', customerIds, true),
        messageArg(),
        idempotencyKeyArg(),
      ],
    },
    {
      kind: 'mutation',
      field: 'updateNote',
      selection: '{ id }',
      args: [
        pageIdArg(),
        customerIdArg('customerId', customerIds, true),
        noteIdArg(noteIds),
        messageArg(),
      ],
    },
    {
      kind: 'mutation',
      field: 'deleteNote',
      selection: '',
      args: [pageIdArg(), customerIdArg('customerId', customerIds, true), noteIdArg(noteIds)],
    },
  ];
}

/**
 * One call of `op` with at least one refused argument (or a broken document), sent either as
 * variables or as inline literals.
 */
export function graphqlCase(op: OperationSpec): fc.Arbitrary<GraphqlCase> {
  const perArg = op.args.map((spec) =>
    fc.oneof(
      { arbitrary: spec.valid.map((value) => ({ value, tag: 'ok' as const })), weight: 3 },
      { arbitrary: spec.invalid, weight: 1 },
    ),
  );
  return fc
    .integer({ min: 0, max: op.args.length - 1 })
    .chain((forced) =>
      fc.record({
        forced: fc.constant(forced),
        // The forced argument takes a refused value from its own generator.
        forcedValue: op.args[forced].invalid,
        values: fc.tuple(...perArg),
        mode: fc.constantFrom('variables' as const, 'inline' as const),
        fault: fc.oneof(
          { arbitrary: fc.constant('none' as const), weight: 6 },
          {
            arbitrary: fc.constantFrom(
              'unknownArgument' as const,
              'wrongVariableType' as const,
              'missingArgument' as const,
            ),
            weight: 1,
          },
        ),
      }),
    )
    .map((r) => {
      const args = op.args.map((spec, i): GeneratedArg => {
        const chosen = i === r.forced ? r.forcedValue : r.values[i];
        return { name: spec.name, type: spec.type, value: chosen.value, tag: chosen.tag };
      });
      return { op, args, mode: r.mode, fault: r.fault };
    });
}

/** The document and variables of a case. */
export function renderGraphqlCase(c: GraphqlCase): {
  query: string;
  variables: Record<string, unknown>;
} {
  const present = c.args.filter((a) => a.value !== undefined);
  let used = present;
  if (c.fault === 'missingArgument') {
    // Leave out the first required argument.
    const required = present.findIndex((a) => a.type.endsWith('!'));
    if (required >= 0) used = present.filter((_, i) => i !== required);
  }
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const callArgs = used.map((a) => {
    if (c.mode === 'inline') return `${a.name}: ${graphqlLiteral(a.value)}`;
    variables[a.name] = variableValue(a.value);
    const type = c.fault === 'wrongVariableType' && a === used[0] ? 'Boolean' : a.type;
    declarations.push(`$${a.name}: ${type}`);
    return `${a.name}: $${a.name}`;
  });
  if (c.fault === 'unknownArgument') callArgs.push('fuzzUnknown: "x"');
  if (c.fault === 'wrongVariableType' && c.mode === 'inline') callArgs.push('pageId: true');
  const header = declarations.length > 0 ? `(${declarations.join(', ')})` : '';
  const query = `${c.op.kind} Fuzz${header} { ${c.op.field}(${callArgs.join(', ')}) ${c.op.selection} }`;
  return { query, variables };
}

/** Whether a case can only be refused (a broken document or at least one refused argument). */
export function caseIsRefused(c: GraphqlCase): boolean {
  return c.fault !== 'none' || c.args.some((a) => a.tag !== 'ok');
}
