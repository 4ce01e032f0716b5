import { GatewayError, type FieldViolation } from '../common/errors/gateway-error.js';
import type { CustomerListQuery } from '../pancake/pancake.model.js';
import type { ListCustomersArgs } from './customer-view.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 100;
/** Offset pagination past this is refused: upstream would scan a million rows. */
export const MAX_PAGE_NUMBER = 10_000;
const MIN_DATE_MS = Date.UTC(2000, 0, 1);

/** Validates list arguments shared by GraphQL and REST; every violation named at once. */
export function validateListArgs(args: ListCustomersArgs, now = new Date()): CustomerListQuery {
  const violations: FieldViolation[] = [];
  const pageNumber = args.pageNumber ?? 1;
  const pageSize = args.pageSize ?? DEFAULT_PAGE_SIZE;
  const checkDate = (field: 'since' | 'until', value: Date): void => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      violations.push({ field, rule: 'must be an ISO-8601 date-time with offset' });
    } else if (value.getTime() < MIN_DATE_MS) {
      violations.push({ field, rule: 'must not be before 2000-01-01' });
    } else if (value.getTime() > now.getTime() + 366 * 86_400_000) {
      violations.push({ field, rule: 'must not be more than a year in the future' });
    }
  };
  checkDate('since', args.since);
  checkDate('until', args.until);
  if (violations.length === 0 && args.since.getTime() > args.until.getTime()) {
    violations.push({ field: 'until', rule: 'must not be before since' });
  }
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > MAX_PAGE_NUMBER) {
    violations.push({
      field: 'pageNumber',
      rule: `must be an integer from 1 to ${MAX_PAGE_NUMBER}`,
      value: pageNumber,
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    violations.push({
      field: 'pageSize',
      rule: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      value: pageSize,
    });
  }
  const orderBy = args.orderBy ?? 'inserted_at';
  if (orderBy !== 'inserted_at' && orderBy !== 'updated_at') {
    violations.push({
      field: 'orderBy',
      rule: 'must be inserted_at or updated_at',
      value: orderBy,
    });
  }
  if (violations.length > 0) throw GatewayError.badInput(violations);
  return { since: args.since, until: args.until, pageNumber, pageSize, orderBy };
}
