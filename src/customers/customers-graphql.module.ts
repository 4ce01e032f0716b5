import { Module } from '@nestjs/common';
import { CustomersModule } from './customers.module.js';
import { CustomersResolver } from './customers.resolver.js';
import { NotesResolver } from './notes.resolver.js';

/** GraphQL transport of the customers feature: resolvers over CustomersService/NotesService. */
@Module({
  imports: [CustomersModule],
  providers: [CustomersResolver, NotesResolver],
})
export class CustomersGraphqlModule {}
