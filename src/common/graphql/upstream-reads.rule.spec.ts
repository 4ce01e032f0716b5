import { buildSchema, parse, validate, type GraphQLError } from 'graphql';
import { upstreamReadsRule } from './upstream-reads.rule.js';

const schema = buildSchema(`
  type Page { total: Int! }
  type Customer { id: ID! }
  type Query {
    customers(pageId: ID!, pageNumber: Int): Page!
    customer(pageId: ID!, id: ID!): Customer
    other: Int
  }
  type Mutation { touch: Int }
`);

function errorsFor(source: string, maxReads = 5): readonly GraphQLError[] {
  return validate(schema, parse(source), [upstreamReadsRule(maxReads)]);
}

function aliasedReads(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, i) => `a${i}: customers(pageId: "1", pageNumber: ${i + 1}) { total }`,
  );
  return `{ ${fields.join(' ')} }`;
}

describe('upstreamReadsRule', () => {
  it('allows up to the bound', () => {
    expect(errorsFor(aliasedReads(5))).toEqual([]);
    expect(
      errorsFor(
        '{ customers(pageId: "1") { total } customer(pageId: "1", id: "x") { id } other }',
        2,
      ),
    ).toEqual([]);
  });

  it('refuses one read over the bound, naming both numbers and BAD_USER_INPUT', () => {
    const errors = errorsFor(aliasedReads(6));
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(
      'this operation reads 6 pages from Pancake; at most 5 per request',
    );
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses 500 aliased reads', () => {
    const errors = errorsFor(aliasedReads(500));
    expect(errors.map((e) => e.message)).toEqual([
      'this operation reads 500 pages from Pancake; at most 5 per request',
    ]);
  });

  it('counts customer lookups too', () => {
    const lookups = Array.from(
      { length: 3 },
      (_, i) => `c${i}: customer(pageId: "1", id: "${i}") { id }`,
    ).join(' ');
    expect(errorsFor(`{ ${lookups} customers(pageId: "1") { total } }`, 3)).toHaveLength(1);
  });

  it('counts reads inside fragments and inline fragments', () => {
    const source = `
      query { ...Two ... on Query { c: customers(pageId: "1", pageNumber: 3) { total } } }
      fragment Two on Query {
        a: customers(pageId: "1", pageNumber: 1) { total }
        b: customers(pageId: "1", pageNumber: 2) { total }
      }`;
    expect(errorsFor(source, 3)).toEqual([]);
    expect(errorsFor(source, 2)[0].message).toContain('reads 3 pages');
  });

  it('counts a response key once: graphql-js merges equal keys into one execution', () => {
    const source = `
      { customers(pageId: "1") { total } customers(pageId: "1") { total } ...F ...F }
      fragment F on Query { customers(pageId: "1") { total } x: customers(pageId: "1") { total } }`;
    expect(errorsFor(source, 1)[0].message).toContain('reads 2 pages');
  });

  it('counts each operation of a document on its own', () => {
    const source = `query A { a: customers(pageId: "1") { total } } query B { a: customers(pageId: "1") { total } b: customers(pageId: "2") { total } }`;
    expect(errorsFor(source, 1).map((e) => e.message)).toEqual([
      'this operation reads 2 pages from Pancake; at most 1 per request',
    ]);
  });

  it('survives fragment cycles (reported by graphql-js itself)', () => {
    const source = `{ ...A } fragment A on Query { customers(pageId: "1") { total } ...B } fragment B on Query { ...A }`;
    const errors = validate(schema, parse(source), [upstreamReadsRule(0)]);
    expect(errors[0].message).toBe(
      'this operation reads 1 page from Pancake; at most 0 per request',
    );
  });

  it('ignores mutations', () => {
    expect(errorsFor('mutation { touch }', 0)).toEqual([]);
  });
});
