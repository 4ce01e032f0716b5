/**
 * Soft-removed notes (the contract's Note.removedAt): upstream keeps listing a deleted note with
 * removed_at set; the gateway hides it unless asked, on both transports.
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import request from 'supertest';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startStack, type TestGateway } from './support/gateway.js';
import {
  GraphqlClient,
  ISO_UTC,
  type CustomerJson,
  type CustomerPageJson,
} from './support/graphql-client.js';

interface NoteIds {
  id: string;
  removedAt: string | null;
}

describe('soft-removed notes (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let gateway: TestGateway;
  let client: GraphqlClient;
  let customer: CustomerJson;
  let liveId: string;
  let removedId: string;

  const rest = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const call = request(gateway.url)
      [method](`/v1/pages/111/customers${path}`)
      .set('Authorization', bearer());
    return body ? call.send(body) : call;
  };
  const window = `since=${encodeURIComponent(ALL_TIME.since)}&until=${encodeURIComponent(ALL_TIME.until)}`;
  const noteIdsOf = (notes: { id: string }[]) => notes.map((n) => n.id);

  beforeAll(async () => {
    const stack = await startStack(
      { customers: 20, rateLimitPerSecond: 1000 },
      { PANCAKE_RATE_LIMIT_PER_SECOND: '1000' },
    );
    ({ sim, gateway, close } = stack);
    client = new GraphqlClient(gateway.url);
    customer = (await client.list('111', { pageSize: 10 })).nodes[1];
    liveId = (await rest('post', `/${customer.id}/notes`, { message: 'stays' })).body.id;
    removedId = (await rest('post', `/${customer.id}/notes`, { message: 'goes' })).body.id;
    expect((await rest('delete', `/${customer.id}/notes/${removedId}`)).status).toBe(204);
    // Upstream still lists it, removed.
    expect(
      sim.store
        .notesOf('111', customer.id, { includeRemoved: true })
        .find((n) => n.id === removedId)?.removed_at,
    ).toEqual(expect.any(Number));
  });
  afterAll(() => close?.());

  it('REST: both reads hide removed notes by default and show them with includeRemovedNotes=true', async () => {
    const byId = await rest('get', `/${customer.id}`);
    expect(byId.status).toBe(200);
    expect(noteIdsOf(byId.body.notes)).toContain(liveId);
    expect(noteIdsOf(byId.body.notes)).not.toContain(removedId);

    const withRemoved = await rest('get', `/${customer.id}?includeRemovedNotes=true`);
    expect(withRemoved.status).toBe(200);
    const removed = (withRemoved.body.notes as NoteIds[]).find((n) => n.id === removedId);
    expect(removed?.removedAt).toMatch(ISO_UTC);
    expect(
      (withRemoved.body.notes as NoteIds[]).find((n) => n.id === liveId)?.removedAt,
    ).toBeNull();

    const listed = (query: string) =>
      rest('get', `?${window}&pageSize=10${query}`).then((r) =>
        (r.body as CustomerPageJson).nodes.find((c) => c.id === customer.id)!,
      );
    expect(noteIdsOf((await listed('')).notes)).not.toContain(removedId);
    expect(noteIdsOf((await listed('&includeRemovedNotes=false')).notes)).not.toContain(removedId);
    expect(noteIdsOf((await listed('&includeRemovedNotes=true')).notes)).toContain(removedId);
  });

  it('REST: refuses includeRemovedNotes other than true or false, by name', async () => {
    const response = await rest('get', `/${customer.id}?includeRemovedNotes=yes`);
    expect(response.status).toBe(400);
    expect(response.body.error.details.violations).toEqual([
      { field: 'includeRemovedNotes', rule: 'must be true or false' },
    ]);
  });

  it('REST: a write answers the customer without removed notes', async () => {
    const response = await rest('patch', `/${customer.id}`, { name: 'Notes Kept' });
    expect(response.status).toBe(200);
    expect(noteIdsOf(response.body.notes)).toEqual(expect.arrayContaining([liveId]));
    expect(noteIdsOf(response.body.notes)).not.toContain(removedId);
  });

  it('GraphQL: Customer.notes(includeRemoved: Boolean = false), in one query both ways', async () => {
    const { body } = await client.gql(
      `query($id: ID!) { customer(pageId: "111", id: $id) {
        notes { id removedAt } all: notes(includeRemoved: true) { id removedAt } } }`,
      { id: customer.id },
    );
    expect(body.errors).toBeUndefined();
    const found = body.data!.customer as { notes: NoteIds[]; all: NoteIds[] };
    expect(noteIdsOf(found.notes)).toContain(liveId);
    expect(noteIdsOf(found.notes)).not.toContain(removedId);
    expect(found.all.find((n) => n.id === removedId)?.removedAt).toMatch(ISO_UTC);

    const list = await client.gql(
      `{ customers(pageId: "111", since: "${ALL_TIME.since}", until: "${ALL_TIME.until}", pageSize: 10) {
        nodes { id notes(includeRemoved: true) { id } } } }`,
    );
    const nodes = (list.body.data!.customers as { nodes: { id: string; notes: NoteIds[] }[] })
      .nodes;
    expect(noteIdsOf(nodes.find((c) => c.id === customer.id)!.notes)).toContain(removedId);
  });

  it('GraphQL: Customer.notes resolves synchronously (no promise per customer)', () => {
    const type = gateway.app.get(GraphQLSchemaHost).schema.getType('Customer');
    if (!isObjectType(type)) throw new Error('Customer is not an object type');
    const notes = [
      { id: 'a', removedAt: null },
      { id: 'b', removedAt: new Date() },
    ];
    const resolve = type.getFields().notes.resolve!;
    const result: unknown = resolve(
      { notes },
      { includeRemoved: false },
      {},
      {} as GraphQLResolveInfo,
    );
    expect(result).toEqual([notes[0]]);
  });

  it('deleting an already removed note is still refused, as upstream', async () => {
    sim.clearLog();
    const again = await rest('delete', `/${customer.id}/notes/${removedId}`);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(sim.requestLog().some((e) => e.operation === 'note_delete' && e.status === 400)).toBe(
      true,
    );
  });
});
