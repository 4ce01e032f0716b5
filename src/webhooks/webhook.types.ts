/** A webhook endpoint as the management API shows it (never its secret). */
export interface WebhookView {
  id: string;
  url: string;
  pageIds: string[];
  types: string[];
  enabled: boolean;
  description: string | null;
  createdAt: Date;
}

/** What a key asks to create or change (validated by the service). */
export interface WebhookChanges {
  url?: string;
  pageIds?: string[];
  types?: string[] | null;
  description?: string | null;
  enabled?: boolean;
}

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'DEAD';

export interface DeliveryView {
  id: string;
  eventId: string;
  attempt: number;
  status: DeliveryStatus;
  responseStatus: number | null;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
}
