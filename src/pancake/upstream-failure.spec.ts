import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { UpstreamNetworkError, type UpstreamResponse } from './pancake-http.js';
import {
  backoffDelayMs,
  classifyResponse,
  failureOf,
  isInFlightWrite,
  isRetryable,
  networkFailure,
  toGatewayError,
  type UpstreamFailure,
  type UpstreamOperation,
} from './upstream-failure.js';

const answer = (status: number, body: unknown, retryAfterMs?: number): UpstreamResponse => ({
  status,
  body,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe('classifyResponse', () => {
  it('takes a 2xx as a success only when success is true', () => {
    expect(classifyResponse(answer(200, { success: true, customers: [] }))).toBeNull();
    expect(classifyResponse(answer(204, { success: true }))).toBeNull();
  });

  it.each([
    ['success:false', { success: false, message: 'Internal error', error_code: 500 }],
    ['no success field', { customers: [] }],
    ['a body that was not JSON', undefined],
  ])('takes a 200 with %s as transient, maybe acted', (_case, body) => {
    expect(classifyResponse(answer(200, body))).toMatchObject({
      kind: 'transient',
      acted: 'unknown',
      status: 200,
    });
  });

  it('keeps the error code and at most 200 characters of the message', () => {
    const failure = classifyResponse(
      answer(200, { success: false, message: 'x'.repeat(500), error_code: 7 }),
    );
    expect(failure).toMatchObject({ errorCode: 7, upstreamMessage: 'x'.repeat(200) });
  });

  it('takes a 429 as rate-limited, not acted, with its Retry-After', () => {
    expect(classifyResponse(answer(429, { success: false }, 3000))).toEqual({
      kind: 'rate-limited',
      acted: 'no',
      status: 429,
      errorCode: undefined,
      upstreamMessage: undefined,
      retryAfterMs: 3000,
    });
  });

  it('takes error_code 429 as rate-limited even under HTTP 200', () => {
    const body = { success: false, message: 'Too many requests', error_code: 429 };
    expect(classifyResponse(answer(200, body))).toMatchObject({
      kind: 'rate-limited',
      acted: 'no',
      errorCode: 429,
      upstreamMessage: 'Too many requests',
    });
  });

  it.each([
    ['HTTP 401', answer(401, {})],
    ['error_code 102', answer(200, { success: false, error_code: 102 })],
    ['error_code 105', answer(400, { success: false, error_code: 105 })],
  ])('takes %s as a rejected page token, not acted', (_case, response) => {
    expect(classifyResponse(response)).toMatchObject({ kind: 'auth', acted: 'no' });
  });

  it.each([
    [403, 'forbidden', 'no'],
    [404, 'not-found', 'no'],
    [400, 'bad-request', 'no'],
    [409, 'bad-request', 'no'],
    [422, 'bad-request', 'no'],
    [408, 'transient', 'unknown'],
    [500, 'transient', 'unknown'],
    [502, 'transient', 'unknown'],
    [503, 'transient', 'unknown'],
  ])('takes HTTP %i as %s (acted: %s)', (status, kind, acted) => {
    expect(classifyResponse(answer(status, { success: false }))).toMatchObject({
      kind,
      acted,
      status,
    });
  });
});

describe('networkFailure', () => {
  it('may have acted, and may still land, once the request was sent', () => {
    expect(networkFailure(new UpstreamNetworkError('timeout', true))).toEqual({
      kind: 'network',
      upstreamMessage: 'timeout',
      acted: 'unknown',
      inFlight: true,
    });
  });

  it('certainly did not act when nothing was sent', () => {
    const failure = networkFailure(new UpstreamNetworkError('refused', false, 'connect refused'));
    expect(failure).toEqual({
      kind: 'network',
      upstreamMessage: 'connect refused',
      acted: 'no',
      inFlight: false,
    });
  });
});

describe('isRetryable', () => {
  const failure = (kind: UpstreamFailure['kind'], more: Partial<UpstreamFailure> = {}) =>
    ({ kind, acted: 'unknown', ...more }) as UpstreamFailure;
  const WRITES: UpstreamOperation[] = ['update', 'note_update', 'note_delete'];
  const ALL: UpstreamOperation[] = ['list', ...WRITES, 'note_create'];

  it.each(['auth', 'forbidden', 'not-found', 'bad-request', 'unexpected'] as const)(
    'never retries %s',
    (kind) => {
      for (const operation of ALL)
        expect(isRetryable(failure(kind, { acted: 'no' }), operation)).toBe(false);
    },
  );

  it('retries every failure of a read that may pass, even one still in flight', () => {
    for (const kind of ['rate-limited', 'transient', 'network'] as const)
      expect(isRetryable(failure(kind, { inFlight: true }), 'list')).toBe(true);
  });

  it('retries an answered failure of an idempotent write', () => {
    for (const operation of WRITES) {
      expect(isRetryable(failure('transient'), operation)).toBe(true);
      expect(isRetryable(failure('rate-limited', { acted: 'no' }), operation)).toBe(true);
      expect(isRetryable(failure('network', { acted: 'no', inFlight: false }), operation)).toBe(
        true,
      );
    }
  });

  it('never re-sends a write that may still land', () => {
    for (const operation of [...WRITES, 'note_create'] as const)
      expect(isRetryable(failure('network', { inFlight: true }), operation)).toBe(false);
  });

  it('re-sends a note create only when upstream certainly did not act', () => {
    expect(isRetryable(failure('rate-limited', { acted: 'no' }), 'note_create')).toBe(true);
    expect(isRetryable(failure('network', { acted: 'no' }), 'note_create')).toBe(true);
    expect(isRetryable(failure('transient', { acted: 'unknown' }), 'note_create')).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  const middle = () => 0.5;

  it('doubles from the base: 1 s, 2 s, 4 s at base 1000', () => {
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, 1000, undefined, middle))).toEqual([
      1000, 2000, 4000,
    ]);
    expect(backoffDelayMs(2, 20, undefined, middle)).toBe(40);
  });

  it('jitters by at most 20 % either way', () => {
    const low = [1, 2, 3].map((attempt) => backoffDelayMs(attempt, 1000, undefined, () => 0));
    const high = [1, 2, 3].map((attempt) => backoffDelayMs(attempt, 1000, undefined, () => 1));
    expect(low).toEqual([800, 1600, 3200]);
    expect(high).toEqual([1200, 2400, 4800]);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelayMs(2, 1000);
      expect(delay).toBeGreaterThanOrEqual(1600);
      expect(delay).toBeLessThanOrEqual(2400);
    }
  });

  it('waits for a larger Retry-After, and ignores a smaller one', () => {
    expect(backoffDelayMs(1, 1000, 5000, middle)).toBe(5000);
    expect(backoffDelayMs(1, 1000, 100, middle)).toBe(1000);
    expect(backoffDelayMs(3, 1000, 4100, () => 1)).toBe(4800);
  });
});

describe('the error a caller sees', () => {
  it('keeps the failure as its cause, for the guarded writes', () => {
    const inFlight = networkFailure(new UpstreamNetworkError('reset', true));
    const error = new GatewayError(ErrorCode.UPSTREAM_ERROR, 'x', { cause: inFlight });
    expect(failureOf(error)).toBe(inFlight);
    expect(isInFlightWrite(error)).toBe(true);
    expect(isInFlightWrite(new GatewayError(ErrorCode.UPSTREAM_ERROR, 'x'))).toBe(false);
    expect(failureOf(new Error('x', { cause: inFlight }))).toBeNull();
  });

  it('answers RATE_LIMITED with upstream hint in whole seconds, at least 1', () => {
    const limited = (retryAfterMs?: number): UpstreamFailure => ({
      kind: 'rate-limited',
      acted: 'no',
      retryAfterMs,
    });
    expect(toGatewayError(limited(2500), 'list', '111')).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds: 3,
    });
    expect(toGatewayError(limited(), 'list', '111').retryAfterSeconds).toBe(1);
  });

  it('answers NOT_FOUND for a note upstream refuses with a 400 (a wrong note_id)', () => {
    const failure: UpstreamFailure = { kind: 'bad-request', acted: 'no', status: 400 };
    expect(toGatewayError(failure, 'note_update', '111').code).toBe(ErrorCode.NOT_FOUND);
    expect(toGatewayError(failure, 'update', '111').code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
