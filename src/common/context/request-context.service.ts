import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import {
  countUpstreamCall,
  currentRequestContext,
  type ReadRecord,
  type RequestContext,
} from './request-context.js';

/**
 * The request's context for injected code: services record what their reads did (the cache
 * says it), the transports' plumbing reads it back. Outside a request every call is a no-op.
 */
@Injectable()
export class RequestContextService {
  // Injected so Nest orders module setup after the CLS module; reads go through the shared store.
  constructor(private readonly cls: ClsService) {}

  current(): RequestContext | undefined {
    return this.cls.isActive() ? currentRequestContext() : undefined;
  }

  recordRead(read: ReadRecord): void {
    this.current()?.reads.push(read);
  }

  /** Where a customer read was answered from; a mix of sources reads as upstream (the older). */
  recordDataSource(source: 'MIRROR' | 'UPSTREAM'): void {
    const context = this.current();
    if (!context) return;
    context.dataSource = context.dataSource === 'UPSTREAM' ? 'UPSTREAM' : source;
  }

  countUpstreamCall(): void {
    if (this.cls.isActive()) countUpstreamCall();
  }
}
