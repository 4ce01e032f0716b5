import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  parse,
  validate,
  type GraphQLError,
} from 'graphql';
import { upstreamRequestsRule, UPSTREAM_REQUESTS_EXTENSION } from './upstream-requests.rule.js';

const field = (requests?: number) => ({
  type: GraphQLInt,
  extensions: requests === undefined ? {} : { [UPSTREAM_REQUESTS_EXTENSION]: requests },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { customers: field(1), customer: field(5), local: field() },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: { createNote: field(11), deleteNote: field(1) },
  }),
});

function errorsFor(source: string, maxRequests = 25): readonly GraphQLError[] {
  return validate(schema, parse(source), [upstreamRequestsRule(maxRequests)]);
}

const aliased = (count: number, selection: string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ');

describe('upstreamRequestsRule', () => {
  it('sums what each root field declares, for mutations as for queries', () => {
    expect(errorsFor(`mutation { ${aliased(2, 'createNote')} deleteNote }`)).toEqual([]);
    expect(errorsFor(`{ ${aliased(5, 'customer')} local __typename }`)).toEqual([]);
    expect(errorsFor(`{ ${aliased(5, 'customer')} customers }`)).toHaveLength(1);
  });

  it('refuses 6 aliased createNote with BAD_USER_INPUT naming the count and the bound', () => {
    const errors = errorsFor(`mutation { ${aliased(6, 'createNote')} }`);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(
      'this operation may send up to 66 requests to Pancake; at most 25 per request',
    );
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('counts through fragments, and a response key once (graphql-js merges equal keys)', () => {
    const source = `
      mutation { ...Two createNote ... on Mutation { createNote } }
      fragment Two on Mutation { a: createNote b: createNote }`;
    expect(errorsFor(source, 33)).toEqual([]);
    expect(errorsFor(source, 32)[0].message).toContain('up to 33 requests');
  });

  it('counts each operation of a document on its own', () => {
    const source = `query A { customer } mutation B { a: createNote b: deleteNote }`;
    expect(errorsFor(source, 11).map((e) => e.message)).toEqual([
      'this operation may send up to 12 requests to Pancake; at most 11 per request',
    ]);
  });

  it('costs nothing for fields that declare nothing (introspection, local fields)', () => {
    expect(errorsFor('{ local __typename __schema { queryType { name } } }', 0)).toEqual([]);
  });
});
