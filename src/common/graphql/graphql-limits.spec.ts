import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { loadConfig } from '../../config/load-config.js';
import { formatGraphqlError } from './format-error.js';
import { graphqlLimits } from './graphql-limits.js';

const typeDefs = `
  enum Order { INSERTED_AT UPDATED_AT }
  input Changes { name: String }
  type Customer { name: String }
  type Query {
    customers(orderBy: Order, pageNumber: Int): [Customer!]!
    update(changes: Changes!): Int
  }
`;

// A wrong enum value, argument, field, input field and type, as a literal or a variable.
const MISTAKES: [string, string, Record<string, unknown>?][] = [
  ['enum literal', '{ customers(orderBy: INSERTED) { name } }'],
  ['enum variable', 'query($o: Order) { customers(orderBy: $o) { name } }', { o: 'INSERTED' }],
  ['argument', '{ customers(pageNumbr: 1) { name } }'],
  ['field', '{ customers { nme } }'],
  ['input field', '{ update(changes: { nme: "x" }) }'],
  ['input field in a variable', 'query($c: Changes!) { update(changes: $c) }', { c: { nme: 'x' } }],
  ['type', 'query($o: Ordr) { customers(orderBy: $o) { name } }'],
];

async function messagesWith(nodeEnv: 'production' | 'development'): Promise<string[]> {
  const limits = graphqlLimits(loadConfig({ NODE_ENV: nodeEnv }));
  const server = new ApolloServer({
    typeDefs,
    resolvers: { Query: { customers: () => [], update: () => 1 } },
    plugins: limits.plugins,
    validationRules: limits.validationRules,
    formatError: formatGraphqlError,
  });
  await server.start();
  try {
    const messages: string[] = [];
    for (const [, query, variables] of MISTAKES) {
      const response = await server.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const errors = response.body.singleResult.errors ?? [];
      expect(errors).toHaveLength(1);
      messages.push(errors[0].message);
    }
    return messages;
  } finally {
    await server.stop();
  }
}

describe('graphqlLimits: "Did you mean" suggestions', () => {
  it('hides every suggestion in production (enum values too), keeping the rest of the message', async () => {
    const messages = await messagesWith('production');
    for (const message of messages) expect(message).not.toMatch(/did you mean|suggestion/i);
    expect(messages[0]).toBe(
      'Argument "orderBy": Value "INSERTED" does not exist in "Order" enum.',
    );
    expect(messages[1]).toMatch(/Value "INSERTED" does not exist in "Order" enum\.$/);
    expect(messages[3]).toBe('Cannot query field "nme" on type "Customer".');
  });

  it('keeps them outside production, where introspection shows the schema anyway', async () => {
    const messages = await messagesWith('development');
    expect(messages[0]).toMatch(/Did you mean the enum value "INSERTED_AT"\?$/);
    expect(messages[3]).toMatch(/Did you mean "name"\?$/);
  });
});
