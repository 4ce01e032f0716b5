import { GatewayError } from '../common/errors/gateway-error.js';
import { encodeEventCursor } from '../mirror/event-cursor.js';
import { eventsLimit, eventTypes, resumeSeq } from './feed-query.policy.js';

function violation(run: () => unknown): { field: string; rule: string } | undefined {
  try {
    run();
  } catch (error) {
    const details = (error as GatewayError).details as
      { violations: { field: string; rule: string }[] } | undefined;
    return details?.violations[0];
  }
  return undefined;
}

describe('eventsLimit', () => {
  it('defaults to 100 and takes 1..1000 as text or number', () => {
    expect(eventsLimit(undefined, 'limit')).toBe(100);
    expect(eventsLimit('', 'limit')).toBe(100);
    expect(eventsLimit('1', 'limit')).toBe(1);
    expect(eventsLimit(1000, 'first')).toBe(1000);
  });

  it.each(['0', '1001', '-1', '1.5', 'ten', ' 5'])('refuses %p naming the field', (value) => {
    expect(violation(() => eventsLimit(value, 'limit'))).toEqual({
      field: 'limit',
      rule: 'must be an integer from 1 to 1000',
      value,
    });
  });

  it('names GraphQL first', () => {
    expect(violation(() => eventsLimit(0, 'first'))?.field).toBe('first');
  });
});

describe('eventTypes', () => {
  it('is null when absent or empty', () => {
    expect(eventTypes(undefined)).toBeNull();
    expect(eventTypes('')).toBeNull();
    expect(eventTypes([])).toBeNull();
  });

  it('splits commas, merges repeats, drops duplicates', () => {
    expect(eventTypes('CUSTOMER_CREATED,NOTE_CREATED')).toEqual([
      'CUSTOMER_CREATED',
      'NOTE_CREATED',
    ]);
    expect(eventTypes(['NOTE_REMOVED', 'NOTE_REMOVED,CUSTOMER_UPDATED'])).toEqual([
      'NOTE_REMOVED',
      'CUSTOMER_UPDATED',
    ]);
  });

  it('refuses an unknown type naming the field and the allowed ones', () => {
    const found = violation(() => eventTypes('CUSTOMER_CREATED,customer.deleted'));
    expect(found?.field).toBe('types');
    expect(found?.rule).toMatch(/^must be among CUSTOMER_CREATED, /);
  });
});

describe('resumeSeq', () => {
  it('prefers Last-Event-ID over after; null when neither', () => {
    expect(resumeSeq('111', encodeEventCursor('111', 4), encodeEventCursor('111', 9))).toBe(9);
    expect(resumeSeq('111', encodeEventCursor('111', 4))).toBe(4);
    expect(resumeSeq('111', undefined, undefined)).toBeNull();
  });

  it('refuses a foreign or malformed cursor naming where it came from', () => {
    expect(violation(() => resumeSeq('111', encodeEventCursor('222', 4)))?.field).toBe('after');
    expect(violation(() => resumeSeq('111', null, 'garbage!'))?.field).toBe('Last-Event-ID');
  });
});
