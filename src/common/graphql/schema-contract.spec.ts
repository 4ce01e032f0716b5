import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  print,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

// The GraphQL schema of the gateway contract (docs/gateway-contract.md), verbatim, with the
// argument its later section gives Customer.notes and what its mirror section adds to the
// reads (source, SyncStatus), the change feed (customerEvents query and subscription), its
// webhooks and the data products. Fixed: the committed schema.gql may add to it, never change it.
const CONTRACT_SDL = `
scalar DateTime
enum Gender { MALE FEMALE UNKNOWN }
enum CustomerOrder { INSERTED_AT UPDATED_AT }
enum DataSource { AUTO MIRROR UPSTREAM }
enum SyncState { BACKFILLING LIVE PAUSED FAILED }
enum CustomerEventType { CUSTOMER_CREATED CUSTOMER_UPDATED NOTE_CREATED NOTE_UPDATED NOTE_REMOVED }
enum EventOrigin { GATEWAY PANCAKE }
enum StatsBucket { DAY WEEK MONTH }

type NoteAuthor { uid: ID!  name: String }
type Note {
  id: ID!  message: String!
  createdAt: DateTime!  updatedAt: DateTime  removedAt: DateTime
  createdBy: NoteAuthor  images: [String!]!  links: [String!]!
}
type Customer {
  id: ID!
  psid: ID!  pageId: ID!
  globalCustomerId: ID
  name: String  phoneNumbers: [String!]!  emails: [String!]!
  gender: Gender  livesIn: String
  birthday: String
  insertedAt: DateTime  updatedAt: DateTime
  notes(includeRemoved: Boolean = false): [Note!]!
  avatarUrl: String!
}
type CustomerPage {
  total: Int!  pageNumber: Int!  pageSize: Int!  hasNextPage: Boolean!
  nodes: [Customer!]!
  source: DataSource!  syncedAt: DateTime
}
type SyncStatus {
  pageId: ID!  state: SyncState!  customers: Int!
  lastPolledAt: DateTime  lagSeconds: Float  backfillProgress: Float
}
type CustomerEvent {
  id: ID!  cursor: String!
  type: CustomerEventType!  origin: EventOrigin!
  pageId: ID!  customerId: ID!  occurredAt: DateTime!
  changedFields: [String!]!
  customer: Customer!
  note: Note
}
type CustomerEventPage { events: [CustomerEvent!]!  nextCursor: String  hasMore: Boolean! }
type CustomerCount { bucketStart: DateTime!  count: Int! }
input CustomerChangesInput { name: String  phoneNumbers: [String!]  gender: Gender  birthday: String }
type Webhook {
  id: ID!  url: String!  pageIds: [ID!]!  types: [CustomerEventType!]!
  enabled: Boolean!  description: String  createdAt: DateTime!
}
type WebhookWithSecret { webhook: Webhook!  secret: String! }
type WebhookDelivery {
  id: ID!  eventId: ID!  attempt: Int!  status: String!
  responseStatus: Int  nextAttemptAt: DateTime  createdAt: DateTime!
}
input WebhookInput { url: String!  pageIds: [ID!]!  types: [CustomerEventType!]  description: String }

type Query {
  customers(pageId: ID!, since: DateTime!, until: DateTime!,
            pageNumber: Int = 1, pageSize: Int = 100,
            orderBy: CustomerOrder = INSERTED_AT, source: DataSource): CustomerPage!
  customer(pageId: ID!, id: ID!, source: DataSource): Customer
  syncStatus(pageId: ID!): SyncStatus!
  pages: [SyncStatus!]!
  customerEvents(pageId: ID!, after: String, first: Int = 100, types: [CustomerEventType!]): CustomerEventPage!
  webhooks: [Webhook!]!
  webhookDeliveries(webhookId: ID!, first: Int = 50): [WebhookDelivery!]!
  searchCustomers(phone: String, name: String, pageIds: [ID!], first: Int = 20): [Customer!]!
  newCustomerCounts(pageId: ID!, since: DateTime!, until: DateTime!, bucket: StatsBucket = DAY, timeZone: String = "Asia/Ho_Chi_Minh"): [CustomerCount!]!
}
type Mutation {
  updateCustomer(pageId: ID!, id: ID!, changes: CustomerChangesInput!): Customer!
  addCustomerPhoneNumbers(pageId: ID!, id: ID!, phoneNumbers: [String!]!): Customer!
  createNote(pageId: ID!, customerId: ID!, message: String!, idempotencyKey: String): Note!
  updateNote(pageId: ID!, customerId: ID!, noteId: ID!, message: String!): Note!
  deleteNote(pageId: ID!, customerId: ID!, noteId: ID!): Boolean!
  createWebhook(input: WebhookInput!): WebhookWithSecret!
  updateWebhook(id: ID!, input: WebhookInput!, enabled: Boolean): Webhook!
  deleteWebhook(id: ID!): Boolean!
  rotateWebhookSecret(id: ID!): WebhookWithSecret!
  replayWebhookEvents(id: ID!, since: DateTime!): Int!
}
type Subscription {
  customerEvents(pageId: ID!, types: [CustomerEventType!], after: String): CustomerEvent!
}
`;

function describeInput(value: GraphQLArgument | GraphQLInputField): string {
  const defaultAst =
    value.defaultValue === undefined ? null : astFromValue(value.defaultValue, value.type);
  return `${String(value.type)}${defaultAst ? ` = ${print(defaultAst)}` : ''}`;
}

/** Every type, field, argument (with default) and enum value, as comparable lines. */
function contractLines(schema: GraphQLSchema, only?: GraphQLSchema): string[] {
  const lines: string[] = [];
  const names = Object.keys((only ?? schema).getTypeMap()).filter((name) => !name.startsWith('__'));
  for (const name of names) {
    const type: GraphQLNamedType | undefined = schema.getType(name);
    if (!type) {
      lines.push(`${name}: missing`);
    } else if (isScalarType(type)) {
      lines.push(`scalar ${name}`);
    } else if (isEnumType(type)) {
      lines.push(
        `enum ${name} { ${type
          .getValues()
          .map((v) => v.name)
          .sort()
          .join(' ')} }`,
      );
    } else if (isObjectType(type)) {
      const wanted = only?.getType(name);
      for (const field of Object.values(type.getFields())) {
        if (wanted && isObjectType(wanted) && !wanted.getFields()[field.name]) continue;
        const args = field.args
          .map((a) => `${a.name}: ${describeInput(a)}`)
          .sort()
          .join(', ');
        lines.push(`${name}.${field.name}(${args}): ${String(field.type)}`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        lines.push(`input ${name}.${field.name}: ${describeInput(field)}`);
    }
  }
  return lines.sort();
}

describe('schema.gql against the gateway contract', () => {
  const contract = buildSchema(CONTRACT_SDL);
  const committed = buildSchema(readFileSync(join(process.cwd(), 'schema.gql'), 'utf8'));

  it('has every contract type, field, argument, default and nullability, unchanged', () => {
    expect(contractLines(committed, contract)).toEqual(contractLines(contract));
  });

  it('has exactly one DateTime scalar', () => {
    const sdl = readFileSync(join(process.cwd(), 'schema.gql'), 'utf8');
    expect(sdl.match(/^scalar DateTime$/gm)).toHaveLength(1);
  });
});
