import type { GatewayError } from '../../common/errors/gateway-error.js';
import { decodeExportCursor, encodeExportCursor } from './export-cursor.js';

const ruleOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    const details = (error as GatewayError).details as {
      violations: { field: string; rule: string }[];
    };
    return `${details.violations[0]!.field}: ${details.violations[0]!.rule}`;
  }
  return undefined;
};

describe('export cursors', () => {
  const id = '3f2b1c4d-1111-4222-8333-444455556666';

  it('give back the customer id on their own page', () => {
    expect(decodeExportCursor('111', encodeExportCursor('111', id))).toBe(id);
  });

  it('are refused on another page, or malformed, naming the field', () => {
    expect(ruleOf(() => decodeExportCursor('222', encodeExportCursor('111', id)))).toBe(
      'after: is a cursor of another page, not of page 222',
    );
    for (const bad of [
      '',
      'not a cursor',
      Buffer.from('x1:111:a:b').toString('base64url'),
      'eDE6MTEx',
    ])
      expect(ruleOf(() => decodeExportCursor('111', bad))).toBe(
        'after: must be a cursor an export line carried',
      );
  });
});
