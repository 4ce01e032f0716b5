// Fakes of the ports CustomersService and NotesService use, for their unit specs: a Pancake
// client, a read cache that always loads, a customer index in a Map and guarded writes that
// send at once. Each is a plain object of jest.fn, so a spec can script one call.
import { jest } from '@jest/globals';
import type { Caller } from '../../src/common/auth/caller.js';
import { loadConfig } from '../../src/config/load-config.js';
import { CustomersService } from '../../src/customers/customers.service.js';
import { NotesService } from '../../src/customers/notes.service.js';
import { PageGuard } from '../../src/customers/page-guard.service.js';
import type { CustomerLocator } from '../../src/pancake/pancake.client.js';
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
  NoteRecord,
} from '../../src/pancake/pancake.model.js';

type CustomersPorts = ConstructorParameters<typeof CustomersService>;
type NotesPorts = ConstructorParameters<typeof NotesService>;
type Index = CustomersPorts[4];
type IndexedCustomer = NonNullable<Awaited<ReturnType<Index['lookup']>>>;
type Writes = CustomersPorts[5];

export const PAGE = '111';
export const CUSTOMER_ID = '6f1c2a3e-4b5d-4e6f-8a7b-9c0d1e2f3a4b';
export const ADMIN: Caller = { keyName: 'admin', pages: null, scope: 'write' };

export function customerRecord(over: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id: CUSTOMER_ID,
    psid: '5834792348923482',
    pageId: PAGE,
    globalCustomerId: null,
    name: 'Ann',
    phoneNumbers: ['+84901234567'],
    emails: [],
    gender: null,
    livesIn: null,
    birthday: null,
    insertedAt: new Date('2025-03-01T10:00:00Z'),
    updatedAt: new Date('2025-03-02T10:00:00Z'),
    notes: [],
    ...over,
  };
}

export function noteRecord(over: Partial<NoteRecord> = {}): NoteRecord {
  return {
    id: 'note-1',
    message: 'call back',
    createdAt: new Date('2025-03-03T10:00:00Z'),
    updatedAt: null,
    removedAt: null,
    createdBy: null,
    images: [],
    links: [],
    ...over,
  };
}

export function fakePancake() {
  return {
    hasPage: (pageId: string) => pageId === PAGE,
    avatarUrl: (pageId: string, psid: string) => `https://avatars.test/${pageId}/${psid}`,
    listCustomers: jest.fn(
      async (_pageId: string, _query: CustomerListQuery): Promise<CustomerListPage> => ({
        total: 0,
        customers: [],
      }),
    ),
    findCustomer: jest.fn(
      async (_pageId: string, _locator: CustomerLocator): Promise<CustomerRecord | null> => null,
    ),
    updateCustomer: jest.fn(
      async (_pageId: string, _id: string, _changes: CustomerChanges): Promise<void> => undefined,
    ),
    postNote: jest.fn(async (_pageId: string, _id: string, _message: string) => undefined),
    updateNote: jest.fn(
      async (_pageId: string, _id: string, _noteId: string, _message: string) => undefined,
    ),
    deleteNote: jest.fn(async (_pageId: string, _id: string, _noteId: string) => undefined),
  };
}

/** A cache that loads every read (outcome miss) and records its parts. */
export function fakeCache() {
  return {
    read: jest.fn(
      async <T>(_pageId: string, _parts: Record<string, unknown>, load: () => Promise<T>) => ({
        value: await load(),
        outcome: 'miss' as const,
        stale: false,
        ageSeconds: 0,
        generation: 1,
      }),
    ),
    invalidatePage: jest.fn(async (_pageId: string) => undefined),
  };
}

/** The customer index in a Map, by page and id. */
export function fakeIndex() {
  const entries = new Map<string, IndexedCustomer>();
  const keyOf = (pageId: string, id: string) => `${pageId}/${id}`;
  const entryOf = (record: CustomerRecord): IndexedCustomer => ({
    pageId: record.pageId,
    psid: record.psid,
    insertedAt: record.insertedAt,
    updatedAt: record.updatedAt,
    snapshot: record,
    seenAt: new Date(),
  });
  return {
    entries,
    /** Remembers records as a list would. */
    know: (...records: CustomerRecord[]) => {
      for (const r of records) entries.set(keyOf(r.pageId, r.id), entryOf(r));
    },
    lookup: jest.fn(async (pageId: string, id: string) => entries.get(keyOf(pageId, id)) ?? null),
    remember: jest.fn(async (records: readonly CustomerRecord[]) => {
      for (const r of records) entries.set(keyOf(r.pageId, r.id), entryOf(r));
    }),
    forget: jest.fn(async (pageId: string, id: string) => {
      entries.delete(keyOf(pageId, id));
    }),
  };
}

/** Guarded writes that run under no lock and send at once; `send` answers confirmed. */
export function fakeWrites() {
  return {
    exclusive: jest.fn(
      async <T>(_pageId: string, _customerId: string, fn: () => Promise<T>): Promise<T> => fn(),
    ),
    send: jest.fn<Writes['send']>(async (_intent, write) => {
      await write();
      return { confirmed: true };
    }),
    acknowledge: jest.fn<Writes['acknowledge']>(async () => undefined),
    phonesToRestore: jest.fn<Writes['phonesToRestore']>(async () => []),
    noteRestored: jest.fn<Writes['noteRestored']>(),
  };
}

export function fakeIdempotency() {
  type Store = NotesPorts[5];
  return {
    begin: jest.fn<Store['begin']>(async () => ({ state: 'started' })),
    complete: jest.fn<Store['complete']>(async () => undefined),
    abandon: jest.fn<Store['abandon']>(async () => undefined),
  };
}

/** Both services over fakes of their ports (phones in region VN, cache TTL 30 s). */
export function servicesOverFakes() {
  const config = loadConfig({ PANCAKE_PAGE_TOKENS: `${PAGE}=page-token-111` });
  const mocks = {
    pancake: fakePancake(),
    cache: fakeCache(),
    index: fakeIndex(),
    writes: fakeWrites(),
    idempotency: fakeIdempotency(),
    requestContext: {
      recordRead: jest.fn(),
      countUpstreamCall: jest.fn(),
      recordDataSource: jest.fn(),
      current: () => undefined,
    },
    // A gateway that mirrors no page: every read goes upstream, as before the mirror.
    mirror: {
      sourceFor: jest.fn(async () => 'UPSTREAM' as const),
      isMirrorable: () => false,
      get: jest.fn(async () => null),
      recordGatewayRead: jest.fn(async () => undefined),
    },
  };
  const pancake = mocks.pancake as unknown as CustomersPorts[1];
  const cache = mocks.cache as unknown as CustomersPorts[2];
  const guard = new PageGuard(pancake);
  const writes = mocks.writes as unknown as Writes;
  const customers = new CustomersService(
    config,
    pancake,
    cache,
    guard,
    mocks.index as unknown as Index,
    writes,
    mocks.requestContext as unknown as CustomersPorts[6],
    mocks.mirror as unknown as CustomersPorts[7],
  );
  const notes = new NotesService(
    pancake,
    customers,
    cache,
    guard,
    writes,
    mocks.idempotency as unknown as NotesPorts[5],
  );
  return { customers, notes, mocks, config };
}
