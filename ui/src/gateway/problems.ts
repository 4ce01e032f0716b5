import type { GraphQLFormattedError } from 'graphql';

/** What went wrong, in the words staff need: which of the gateway's error codes, or no gateway. */
export type ProblemKind =
  | 'wrong-key'
  | 'forbidden'
  | 'rate-limited'
  | 'upstream-down'
  | 'not-found'
  | 'invalid'
  | 'not-ready'
  | 'unreachable'
  | 'other';

/** A field the gateway refused, with its rule in the gateway's words. */
export interface Violation {
  field: string;
  rule: string;
}

const KIND_BY_CODE: Record<string, ProblemKind> = {
  UNAUTHENTICATED: 'wrong-key',
  FORBIDDEN: 'forbidden',
  RATE_LIMITED: 'rate-limited',
  UPSTREAM_ERROR: 'upstream-down',
  NOT_FOUND: 'not-found',
  BAD_USER_INPUT: 'invalid',
  SYNC_NOT_READY: 'not-ready',
};

/** A failed call: its kind, the gateway's code and message, and what to do next. */
export class GatewayProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly code: string,
    message: string,
    readonly violations: readonly Violation[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GatewayProblem';
  }

  /** One sentence for a status line: what happened and what to do. */
  describe(): string {
    switch (this.kind) {
      case 'wrong-key':
        return `The gateway refused this API key (401 ${this.code}). Check the key and sign in again.`;
      case 'forbidden':
        return `This API key may not do that (403 ${this.code}): ${this.message}`;
      case 'rate-limited':
        return `Too many requests (429 ${this.code}): try again in ${this.retryAfterSeconds ?? 1} s.`;
      case 'upstream-down':
        return `Pancake is not answering (${this.code}): ${this.message}`;
      case 'not-found':
        return `Not found (404 ${this.code}): ${this.message}`;
      case 'not-ready':
        return `The gateway's copy of this page is not ready yet (${this.code}): ${this.message}`;
      case 'invalid':
        return `The gateway refused the input (${this.code}): ${this.message}`;
      case 'unreachable':
        return `Cannot reach the gateway: ${this.message}`;
      default:
        return `${this.code}: ${this.message}`;
    }
  }
}

function violationsOf(error: GraphQLFormattedError): Violation[] {
  const details = error.extensions?.details as { violations?: unknown } | undefined;
  if (!Array.isArray(details?.violations)) return [];
  return details.violations.filter(
    (v): v is Violation =>
      typeof v === 'object' && v !== null && typeof (v as Violation).rule === 'string',
  );
}

/** The first error of an answer as a GatewayProblem. */
export function problemFromErrors(errors: readonly GraphQLFormattedError[]): GatewayProblem {
  const [first] = errors;
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
  const retryAfter = first?.extensions?.retryAfterSeconds;
  return new GatewayProblem(
    KIND_BY_CODE[code] ?? 'other',
    code,
    first?.message ?? 'the gateway answered without data',
    first ? violationsOf(first) : [],
    typeof retryAfter === 'number' ? retryAfter : undefined,
  );
}

/** Anything thrown by a call, as a GatewayProblem (a failed fetch means no gateway). */
export function asProblem(error: unknown): GatewayProblem {
  if (error instanceof GatewayProblem) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayProblem('unreachable', 'NETWORK', message);
}
