import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Customer } from './customer.model.js';

@ObjectType('CustomerPage', { description: 'One page of an offset-paginated customer list' })
export class CustomerPage {
  @Field(() => Int, { description: 'Customers in the whole window, every page' })
  total: number;

  @Field(() => Int)
  pageNumber: number;

  @Field(() => Int)
  pageSize: number;

  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => [Customer])
  nodes: Customer[];
}
