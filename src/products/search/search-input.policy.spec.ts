import type { GatewayError } from '../../common/errors/gateway-error.js';
import { searchTermsOf, type SearchInput } from './search-input.policy.js';

const fieldsOf = (input: SearchInput): string[] => {
  try {
    searchTermsOf(input, 'VN');
  } catch (error) {
    const details = (error as GatewayError).details as { violations: { field: string }[] };
    return details.violations.map((v) => v.field);
  }
  return [];
};

describe('searchTermsOf', () => {
  it('normalizes the phone as writes do and folds the name as the mirror does', () => {
    expect(searchTermsOf({ phone: '0901 234 567', name: '  Nguyễn VĂN ' }, 'VN')).toEqual({
      phone: '+84901234567',
      namePrefix: 'nguyen van',
      limit: 20,
    });
  });

  it('refuses what it cannot search, naming each field', () => {
    expect(fieldsOf({})).toEqual(['phone']);
    expect(fieldsOf({ phone: '12ab' })).toEqual(['phone']);
    expect(fieldsOf({ name: 'ễ' })).toEqual(['name']);
    expect(fieldsOf({ name: ' a  ' })).toEqual(['name']);
    expect(fieldsOf({ name: 'x'.repeat(101) })).toEqual(['name']);
    expect(fieldsOf({ name: 'an', limit: 0 })).toEqual(['limit']);
    expect(fieldsOf({ name: 'an', limit: 101 })).toEqual(['limit']);
    expect(fieldsOf({ name: 'an', limit: 100 })).toEqual([]);
  });
});
