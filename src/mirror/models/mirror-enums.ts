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
