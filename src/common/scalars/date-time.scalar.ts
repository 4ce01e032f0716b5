import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

export const DATE_TIME_RULE =
  'DateTime must be an ISO-8601 date-time with offset, e.g. 2026-01-31T00:00:00Z';

// The offset is required: a naive time would be read in the server's zone, which callers cannot see.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** The instant an ISO-8601 date-time with offset names, or null when it is not one (or not a real date). */
export function parseIsoDateTime(value: string): Date | null {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59)
    return null;
  const calendar = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March: a changed day means it was not a real date.
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day
  ) {
    return null;
  }
  const instant = new Date(Date.parse(value.toUpperCase()));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

function parseInput(value: unknown, node?: ValueNode): Date {
  const date = typeof value === 'string' ? parseIsoDateTime(value) : null;
  // The node lets the error point at (and name the argument of) a literal.
  if (!date) throw new GraphQLError(DATE_TIME_RULE, node ? { nodes: node } : {});
  return date;
}

function serialize(value: unknown): string {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? parseIsoDateTime(value) : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new GraphQLError('DateTime cannot represent an invalid date');
  return date.toISOString();
}

/** ISO-8601 with offset in, always UTC (`toISOString()`) out. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An ISO-8601 date-time with offset; always returned in UTC, e.g. 2026-01-31T00:00:00.000Z',
  serialize,
  parseValue: (value) => parseInput(value),
  parseLiteral: (ast) => parseInput(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});
