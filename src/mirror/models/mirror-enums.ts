import { registerEnumType } from '@nestjs/graphql';

/** Where a customer read is answered from (the contract's DataSource). */
export enum DataSource {
  AUTO = 'AUTO',
  MIRROR = 'MIRROR',
  UPSTREAM = 'UPSTREAM',
}

export enum SyncState {
  BACKFILLING = 'BACKFILLING',
  LIVE = 'LIVE',
  PAUSED = 'PAUSED',
  FAILED = 'FAILED',
}

registerEnumType(DataSource, {
  name: 'DataSource',
  description: 'AUTO: the mirror when the page is live and current enough, else upstream',
});
registerEnumType(SyncState, { name: 'SyncState' });

export enum CustomerEventType {
  CUSTOMER_CREATED = 'CUSTOMER_CREATED',
  CUSTOMER_UPDATED = 'CUSTOMER_UPDATED',
  NOTE_CREATED = 'NOTE_CREATED',
  NOTE_UPDATED = 'NOTE_UPDATED',
  NOTE_REMOVED = 'NOTE_REMOVED',
}

/** Written through this gateway, or seen upstream. */
export enum EventOrigin {
  GATEWAY = 'GATEWAY',
  PANCAKE = 'PANCAKE',
}

registerEnumType(CustomerEventType, { name: 'CustomerEventType' });
registerEnumType(EventOrigin, {
  name: 'EventOrigin',
  description: 'GATEWAY: written through this gateway; PANCAKE: seen upstream',
});
