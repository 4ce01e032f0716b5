import { setImmediate as tick } from 'node:timers/promises';
import type { Caller } from '../../common/auth/caller.js';
import type { PancakeClient } from '../../pancake/pancake.client.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type { ProductPages } from '../product-pages.js';
import type { ExportRow, ProductsStore } from '../products.store.js';
import { CustomerExportService, EXPORT_PAGE_SIZE } from './customer-export.service.js';

const CALLER: Caller = { keyName: 'test', pages: null, scope: 'read' };
const PAGES = 10;

const REMOVED_NOTE = {
  id: 'n1',
  message: 'gone',
  createdAt: new Date(0),
  updatedAt: null,
  removedAt: new Date(1000),
  createdBy: null,
  images: [],
  links: [],
};

const customer = (n: number): CustomerRecord => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  psid: String(1000 + n),
  pageId: '111',
  globalCustomerId: null,
  name: `Customer ${n}`,
  phoneNumbers: [],
  emails: [],
  gender: null,
  livesIn: null,
  birthday: null,
  insertedAt: new Date(0),
  updatedAt: new Date(0),
  // Every 7th customer has a removed note, which the export leaves out.
  notes: n % 7 === 0 ? [REMOVED_NOTE, { ...REMOVED_NOTE, id: 'n2', removedAt: null }] : [],
});

/** A store of PAGES full keyset pages that counts the pages it was asked for. */
function fakeStore(): { store: ProductsStore; reads: () => number } {
  let reads = 0;
  const all = Array.from({ length: PAGES * EXPORT_PAGE_SIZE }, (_, n) => customer(n));
  const store = {
    exportPage: (_page: string, { afterId, limit }: { afterId: string | null; limit: number }) => {
      reads += 1;
      const from = afterId === null ? 0 : all.findIndex((c) => c.id === afterId) + 1;
      return Promise.resolve(
        all.slice(from, from + limit).map((record): ExportRow => ({
          id: record.id,
          psid: record.psid,
          // As PostgreSQL writes jsonb out: a space after each colon.
          recordJson: JSON.stringify(record).replaceAll('":', '": '),
          phonesE164: [],
        })),
      );
    },
  } as unknown as ProductsStore;
  return { store, reads: () => reads };
}

function service(store: ProductsStore): CustomerExportService {
  const pages = { live: () => Promise.resolve() } as unknown as ProductPages;
  const pancake = { avatarUrl: () => 'https://avatar.test/x' } as unknown as PancakeClient;
  return new CustomerExportService(pages, store, pancake);
}

describe('CustomerExportService', () => {
  it('streams every page then the trailer', async () => {
    const { store, reads } = fakeStore();
    const out = await service(store).open(CALLER, '111', {});
    let text = '';
    for await (const chunk of out.body) text += String(chunk);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(PAGES * EXPORT_PAGE_SIZE + 1);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ complete: true, count: PAGES * EXPORT_PAGE_SIZE });
    expect(reads()).toBe(PAGES + 1); // the last read finds nothing more
    const first = JSON.parse(lines[0]!) as { notes: { id: string }[]; avatarUrl: string };
    expect(first.notes.map((note) => note.id)).toEqual(['n2']);
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(second).toEqual({
      ...JSON.parse(JSON.stringify(customer(1))),
      avatarUrl: 'https://avatar.test/x',
      cursor: expect.any(String),
    });
  });

  it('reads no further than the client: a stream nobody reads stops after a page or two', async () => {
    const { store, reads } = fakeStore();
    const out = await service(store).open(CALLER, '111', {});
    out.body.once('data', () => undefined);
    out.body.pause();
    for (let i = 0; i < 50; i += 1) await tick();
    expect(reads()).toBeLessThanOrEqual(3);
    out.body.destroy();
  });

  it('stops reading when the client goes away (the stream is destroyed)', async () => {
    const { store, reads } = fakeStore();
    const out = await service(store).open(CALLER, '111', {});
    const first = await new Promise<unknown>((resolve) => out.body.once('data', resolve));
    expect(first).toBeDefined();
    out.body.destroy();
    const atDestroy = reads();
    for (let i = 0; i < 50; i += 1) await tick();
    // The generator may be between two reads when the stream goes: one read ahead, no more.
    expect(reads() - atDestroy).toBeLessThanOrEqual(1);
    const settled = reads();
    for (let i = 0; i < 50; i += 1) await tick();
    expect(reads()).toBe(settled);
    expect(settled).toBeLessThanOrEqual(4);
  });
});
