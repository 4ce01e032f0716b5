// The typed clients in clients/ (generated from the code, committed, drift-checked by
// `npm run clients:check`) against a live gateway and simulator: what a client team would write.
import {
  AddCustomerPhoneNumbersDocument,
  CreateNoteDocument,
  CustomerDocument,
  CustomersDocument,
  DeleteNoteDocument,
  GraphqlRequestError,
  UpdateNoteDocument,
  createGraphqlClient,
  createRestClient,
  type GatewayClientOptions,
} from '../clients/src/index.js';
import { ALL_TIME, startStack, TEST_KEYS } from './support/gateway.js';

describe('typed clients (e2e)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let options: GatewayClientOptions;
  beforeAll(async () => {
    stack = await startStack({ customers: 10 });
    options = { baseUrl: stack.gateway.url, apiKey: TEST_KEYS.admin };
  });
  afterAll(() => stack.close());

  it('REST: lists, reads, adds a note, edits and deletes it, with typed paths and answers', async () => {
    const rest = createRestClient(options);
    const list = await rest.GET('/v1/pages/{pageId}/customers', {
      params: {
        path: { pageId: '111' },
        query: { ...ALL_TIME, pageSize: 3, orderBy: 'updatedAt' },
      },
    });
    expect(list.response.status).toBe(200);
    const first = list.data!.nodes[0];
    expect(list.data!.pageSize).toBe(3);

    const one = await rest.GET('/v1/pages/{pageId}/customers/{id}', {
      params: { path: { pageId: '111', id: first.id } },
    });
    expect(one.data?.id).toBe(first.id);

    const created = await rest.POST('/v1/pages/{pageId}/customers/{customerId}/notes', {
      params: { path: { pageId: '111', customerId: first.id } },
      body: { message: 'typed REST client' },
    });
    expect(created.response.status).toBe(201);
    const noteId = created.data!.id;
    const edited = await rest.PATCH('/v1/pages/{pageId}/customers/{customerId}/notes/{noteId}', {
      params: { path: { pageId: '111', customerId: first.id, noteId } },
      body: { message: 'typed REST client, edited' },
    });
    expect(edited.data?.message).toBe('typed REST client, edited');
    const deleted = await rest.DELETE('/v1/pages/{pageId}/customers/{customerId}/notes/{noteId}', {
      params: { path: { pageId: '111', customerId: first.id, noteId } },
    });
    expect(deleted.response.status).toBe(204);

    // Errors come typed too: the gateway's {"error": {code, message, details}}.
    const refused = await rest.GET('/v1/pages/{pageId}/customers', {
      params: { path: { pageId: '111' }, query: { ...ALL_TIME, pageSize: 500 } },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.error.code).toBe('BAD_USER_INPUT');
  });

  it('GraphQL: runs the typed documents, and reports errors with their codes', async () => {
    const graphql = createGraphqlClient(options);
    const { customers } = await graphql.request(CustomersDocument, { pageId: '111', ...ALL_TIME });
    const [first] = customers.nodes;
    expect(customers.nodes.length).toBeGreaterThan(0);

    const { customer } = await graphql.request(CustomerDocument, {
      pageId: '111',
      customerId: first.id,
    });
    expect(customer?.id).toBe(first.id);

    const { addCustomerPhoneNumbers } = await graphql.request(AddCustomerPhoneNumbersDocument, {
      pageId: '111',
      customerId: first.id,
      phoneNumbers: ['090 123-4567'],
    });
    expect(addCustomerPhoneNumbers.phoneNumbers).toContain('+84901234567');

    const { createNote } = await graphql.request(CreateNoteDocument, {
      pageId: '111',
      customerId: first.id,
      message: 'typed GraphQL client',
      idempotencyKey: `typed-${first.id}`,
    });
    const { updateNote } = await graphql.request(UpdateNoteDocument, {
      pageId: '111',
      customerId: first.id,
      noteId: createNote.id,
      message: 'typed GraphQL client, edited',
    });
    expect(updateNote.message).toBe('typed GraphQL client, edited');
    const { deleteNote } = await graphql.request(DeleteNoteDocument, {
      pageId: '111',
      customerId: first.id,
      noteId: createNote.id,
    });
    expect(deleteNote).toBe(true);

    const unknownPage = await graphql
      .request(CustomersDocument, { pageId: '999', ...ALL_TIME })
      .catch((error: unknown) => error);
    expect(unknownPage).toBeInstanceOf(GraphqlRequestError);
    expect((unknownPage as GraphqlRequestError).errors[0].extensions?.code).toBe('NOT_FOUND');
  });
});
