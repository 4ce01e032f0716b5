import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Caller } from '../common/auth/caller.js';
import { CurrentCaller } from '../common/auth/current-caller.decorator.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import {
  ApiErrorResponses,
  BODY_ERRORS,
  PAGE_ROUTE_ERRORS,
} from '../common/http/api-error-responses.js';
import { CACHE_HEADERS_DOC, CachedRead } from '../cache/cache-headers.js';
import { OPENAPI_SECURITY } from '../common/http/openapi.js';
import {
  ApiConditionalRead,
  NO_STORE_HEADERS,
  READ_REPRESENTATION_HEADERS,
} from '../common/http/representation-docs.js';
import { CustomerChangesPipe, CustomerIdPipe, PhoneNumbersPipe } from './customer-input.pipes.js';
import { customerPageJson, CustomerJsonCache } from './customer-page-json.js';
import type { CustomerPageView, CustomerView } from './customer-view.js';
import { CustomersService } from './customers.service.js';
import { AddPhoneNumbersDto } from './dto/add-phone-numbers.dto.js';
import { CustomerReadQuery } from './dto/customer-read.query.js';
import { ListCustomersQuery } from './dto/list-customers.query.js';
import { ApiCustomerIdParam, ApiPageIdParam } from './dto/path-params.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { CustomerPage } from './models/customer-page.model.js';
import { Customer } from './models/customer.model.js';
import { pageWithVisibleNotes, withVisibleNotes } from './note-visibility.js';

/**
 * REST mirror of the customer queries and mutations: one service call per route. Customers come
 * without soft-removed notes unless a read asks `includeRemovedNotes=true` (GraphQL:
 * `notes(includeRemoved: true)`).
 */
@ApiTags('customers')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiPageIdParam()
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/pages/:pageId/customers')
export class CustomersController {
  private readonly json = new CustomerJsonCache();
  private readonly nodeJson = (customer: CustomerView): string => this.json.of(customer);

  constructor(private readonly customers: CustomersService) {}

  @Get()
  @CachedRead()
  @ApiOperation({ summary: 'One page of customers inserted (or updated) in the window' })
  @ApiConditionalRead()
  @ApiOkResponse({
    type: CustomerPage,
    headers: { ...READ_REPRESENTATION_HEADERS, ...CACHE_HEADERS_DOC },
  })
  async list(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Query() query: ListCustomersQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerPageView> {
    const page = await this.customers.listCustomers(caller, pageId, query);
    // The same bytes as JSON.stringify, with shared (mirrored) customers serialized once.
    void reply
      .type('application/json; charset=utf-8')
      .serializer((payload) => customerPageJson(payload, this.nodeJson));
    return pageWithVisibleNotes(page, query.includeRemovedNotes);
  }

  @Get(':id')
  @CachedRead()
  @ApiCustomerIdParam()
  @ApiOperation({
    summary: 'One customer the gateway has seen in a list (Pancake has no lookup by id)',
  })
  @ApiConditionalRead()
  @ApiOkResponse({
    type: Customer,
    headers: { ...READ_REPRESENTATION_HEADERS, ...CACHE_HEADERS_DOC },
  })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('id', CustomerIdPipe) id: string,
    @Query() query: CustomerReadQuery,
  ): Promise<CustomerView> {
    const customer = await this.customers.getCustomer(caller, pageId, id, query.source);
    // GraphQL answers null; REST says 404.
    if (!customer) throw GatewayError.notFound(`Customer ${id} not found on page ${pageId}`);
    return withVisibleNotes(customer, query.includeRemovedNotes);
  }

  @Patch(':id')
  @ApiCustomerIdParam()
  @ApiOperation({
    summary:
      'Changes any of name, phoneNumbers, gender, birthday; returns the customer as it now is',
  })
  @ApiOkResponse({ type: Customer, headers: NO_STORE_HEADERS })
  @ApiErrorResponses(...BODY_ERRORS)
  async update(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('id', CustomerIdPipe) id: string,
    // Declared as the DTO (validation, OpenAPI); the pipe hands on the policy's CustomerChanges.
    @Body(CustomerChangesPipe) changes: UpdateCustomerDto,
  ): Promise<CustomerView> {
    const customer = await this.customers.updateCustomer(caller, pageId, id, changes);
    return withVisibleNotes(customer, false);
  }

  @Post(':id/phone-numbers')
  @HttpCode(HttpStatus.OK)
  @ApiCustomerIdParam()
  @ApiOperation({
    summary: 'Merges phone numbers into the current list (existing numbers are kept)',
  })
  @ApiOkResponse({ type: Customer, headers: NO_STORE_HEADERS })
  @ApiErrorResponses(...BODY_ERRORS)
  async addPhoneNumbers(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Param('id', CustomerIdPipe) id: string,
    @Body(PhoneNumbersPipe) { phoneNumbers }: AddPhoneNumbersDto,
  ): Promise<CustomerView> {
    const customer = await this.customers.addPhoneNumbers(caller, pageId, id, phoneNumbers);
    return withVisibleNotes(customer, false);
  }
}
