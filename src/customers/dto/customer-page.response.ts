import { ApiProperty } from '@nestjs/swagger';
import type { CustomerPageView } from '../customer-view.js';
import { CustomerResponse } from './customer.response.js';

/** One page of customers (offset pagination, as upstream). */
export class CustomerPageResponse implements CustomerPageView {
  @ApiProperty({ type: 'integer', description: 'Customers in the whole window' })
  total: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageNumber: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  pageSize: number;

  @ApiProperty()
  hasNextPage: boolean;

  @ApiProperty({ type: () => [CustomerResponse] })
  nodes: CustomerResponse[];
}
