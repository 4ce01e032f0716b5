import { ApolloServer } from '@apollo/server';
import { ForbiddenException, HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DateTimeScalar } from '../scalars/date-time.scalar.js';
import { ErrorCode } from '../errors/error-code.js';
import { GatewayError } from '../errors/gateway-error.js';
import { formatGraphqlError } from './format-error.js';

const typeDefs = `
  scalar DateTime
  enum Gender { MALE FEMALE }
  input Changes { gender: Gender birthday: String }
  type Query {
    list(since: DateTime!, pageSize: Int = 100): Int!
    fail(kind: String!): Int
    update(changes: Changes!): Int
  }
`;

const SECRET = 'sim-token-111';
const failures: Record<string, () => never> = {
  gateway: () => {
    throw GatewayError.badInput([
      { field: 'birthday', rule: 'must not be in the future', value: '2999-01-01' },
    ]);
  },
  rateLimited: () => {
    throw GatewayError.rateLimited('Pancake rate limit for page 111', 2.4);
  },
  unauthenticated: () => {
    throw new GatewayError(ErrorCode.UNAUTHENTICATED, 'Invalid API key');
  },
  nestForbidden: () => {
    throw new ForbiddenException('Forbidden resource');
  },
  internalGateway: () => {
    throw new GatewayError(ErrorCode.INTERNAL, `broken with ${SECRET}`);
  },
  unknown: () => {
    throw new TypeError(`Cannot read properties of undefined (token ${SECRET})`);
  },
  wrapped: () => {
    throw new GraphQLError('wrapped', {
      originalError: GatewayError.notFound('Note n1 not found'),
    });
  },
};

const server = new ApolloServer({
  typeDefs,
  resolvers: {
    DateTime: DateTimeScalar,
    Query: {
      list: () => 1,
      update: () => 1,
      fail: (_: unknown, { kind }: { kind: string }) => failures[kind](),
    },
  },
  formatError: formatGraphqlError,
  includeStacktraceInErrorResponses: false,
});

beforeAll(() => server.start());
afterAll(() => server.stop());

async function errorsOf(
  query: string,
  variables?: Record<string, unknown>,
): Promise<readonly GraphQLFormattedError[]> {
  const response = await server.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult.errors ?? [];
}

async function onlyErrorOf(
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLFormattedError> {
  const errors = await errorsOf(query, variables);
  expect(errors).toHaveLength(1);
  return errors[0];
}

describe('formatGraphqlError', () => {
  it('renders a GatewayError with its code, message and details', async () => {
    const error = await onlyErrorOf('{ fail(kind: "gateway") }');
    expect(error).toEqual({
      message: 'birthday: must not be in the future',
      locations: [{ line: 1, column: 3 }],
      path: ['fail'],
      extensions: {
        code: 'BAD_USER_INPUT',
        details: {
          violations: [
            { field: 'birthday', rule: 'must not be in the future', value: '2999-01-01' },
          ],
        },
      },
    });
  });

  it('adds retryAfterSeconds (whole seconds, at least 1) to RATE_LIMITED', async () => {
    const error = await onlyErrorOf('{ fail(kind: "rateLimited") }');
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 3 });
  });

  it('finds a GatewayError wrapped in another GraphQLError', async () => {
    const error = await onlyErrorOf('{ fail(kind: "wrapped") }');
    expect(error.extensions?.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Note n1 not found');
  });

  it('keeps auth codes', async () => {
    expect((await onlyErrorOf('{ fail(kind: "unauthenticated") }')).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await onlyErrorOf('{ fail(kind: "nestForbidden") }')).extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it.each([
    [400, 'BAD_USER_INPUT'],
    [405, 'BAD_USER_INPUT'],
    [408, 'REQUEST_TIMEOUT'],
    [409, 'CONFLICT'],
    [422, 'BAD_USER_INPUT'],
    [429, 'RATE_LIMITED'],
  ])('gives a Nest exception with status %i the code REST gives it: %s', (status, code) => {
    const error = new GraphQLError('refused', {
      originalError: new HttpException('refused', status),
    });
    expect(formatGraphqlError({ message: 'refused' }, error)).toEqual({
      message: 'refused',
      extensions: { code },
    });
  });

  it('hides unknown errors and INTERNAL GatewayErrors behind a generic message', async () => {
    for (const kind of ['unknown', 'internalGateway']) {
      const error = await onlyErrorOf(`{ fail(kind: "${kind}") }`);
      expect(error.message).toBe('Internal server error');
      expect(error.extensions).toEqual({ code: 'INTERNAL' });
      expect(JSON.stringify(error)).not.toContain(SECRET);
    }
  });

  it('maps a bad DateTime literal to BAD_USER_INPUT naming the argument and the rule', async () => {
    const error = await onlyErrorOf('{ list(since: "2026-01-31") }');
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      details: {
        violations: [
          {
            field: 'since',
            rule: 'DateTime must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z',
          },
        ],
      },
    });
    expect(error.message).toMatch(/^Argument "since": /);
    expect(error.message).toContain(
      'DateTime must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z',
    );
  });

  it('maps a bad DateTime variable to BAD_USER_INPUT naming the variable', async () => {
    const error = await onlyErrorOf('query($s: DateTime!) { list(since: $s) }', {
      s: '2026-01-31T00:00:00',
    });
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { violations: [{ field: '$s', rule: expect.stringContaining('DateTime') }] },
    });
    expect(error.message).toContain('Variable "$s"');
    expect(error.message).toContain('DateTime must be an ISO-8601 date-time with offset');
  });

  it('maps bad enums, wrong types and unknown fields to BAD_USER_INPUT', async () => {
    const badEnum = await onlyErrorOf('{ update(changes: { gender: male }) }');
    expect(badEnum.message).toMatch(
      /^Argument "gender": Value "male" does not exist in "Gender" enum/,
    );
    const wrongType = await onlyErrorOf('{ list(since: "2026-01-31T00:00:00Z", pageSize: "ten") }');
    expect(wrongType.message).toMatch(/^Argument "pageSize": Int cannot represent/);
    const unknownField = await onlyErrorOf('{ nope }');
    expect(unknownField.message).toBe('Cannot query field "nope" on type "Query".');
    const unknownVariableField = await onlyErrorOf('query($c: Changes!) { update(changes: $c) }', {
      c: { name: 'x' },
    });
    expect(unknownVariableField.message).toContain('Field "name" is not defined by type "Changes"');
    for (const error of [badEnum, wrongType, unknownField, unknownVariableField]) {
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    const fields = [badEnum, wrongType, unknownField, unknownVariableField].map(
      (error) => (error.extensions as { details: { violations: { field: string }[] } }).details,
    );
    expect(fields.map((d) => d.violations.map((v) => v.field))).toEqual([
      ['gender'],
      ['pageSize'],
      ['query'],
      ['$c'],
    ]);
  });

  it('maps a syntax error to BAD_USER_INPUT', async () => {
    const error = await onlyErrorOf('{ list(');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(error.message).toMatch(/^Syntax Error/);
  });

  it('drops the misleading "Syntax Error:" graphql-armor puts on its validation errors', () => {
    const formatted = {
      message: 'Syntax Error: Aliases limit of 10 exceeded, found 11.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(formatGraphqlError(formatted, new GraphQLError(formatted.message))).toEqual({
      message: 'Aliases limit of 10 exceeded, found 11.',
      extensions: {
        code: 'BAD_USER_INPUT',
        details: {
          violations: [{ field: 'query', rule: 'Aliases limit of 10 exceeded, found 11.' }],
        },
      },
    });
  });

  it('passes automatic persisted query signals unchanged', () => {
    const formatted = {
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    };
    expect(formatGraphqlError(formatted, new GraphQLError('PersistedQueryNotFound'))).toBe(
      formatted,
    );
  });

  it("gives Apollo's code-less persisted-query hash mismatch its protocol code", async () => {
    const response = await server.executeOperation({
      query: '{ list(since: "2026-01-31T00:00:00Z") }',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.http.status).toBe(400);
    expect(response.body.singleResult.errors).toEqual([
      {
        message: 'provided sha does not match query',
        extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
      },
    ]);
  });

  it('keeps a development stacktrace only when Apollo put one there', () => {
    const formatted = {
      message: 'x',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: x'] },
    };
    expect(formatGraphqlError(formatted, new Error('x')).extensions).toEqual({
      code: 'INTERNAL',
      stacktrace: ['Error: x'],
    });
  });
});
