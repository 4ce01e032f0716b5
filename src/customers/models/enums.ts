import { registerEnumType } from '@nestjs/graphql';

// GraphQL names are upper case; the values are the lower-case strings services and upstream use.
export enum Gender {
  MALE = 'male',
  FEMALE = 'female',
  UNKNOWN = 'unknown',
}

export enum CustomerOrder {
  INSERTED_AT = 'inserted_at',
  UPDATED_AT = 'updated_at',
}

registerEnumType(Gender, { name: 'Gender' });
registerEnumType(CustomerOrder, {
  name: 'CustomerOrder',
  description: 'Which timestamp the since/until window and the order apply to',
});
