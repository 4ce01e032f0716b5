import type { CustomerPageView, CustomerView } from './customer-view.js';

// A page of customers as JSON with each shared customer serialized once: mirrored lists hand
// out the same frozen customer objects read after read, and JSON.stringify of 100 customers
// was a third of a mirrored read's CPU.

/**
 * JSON of frozen customers, by object: an entry lives as long as the object (which, being
 * frozen, cannot change under it). Other customers are serialized each time.
 */
export class CustomerJsonCache {
  private readonly texts = new WeakMap<CustomerView, string>();

  of(customer: CustomerView): string {
    if (!Object.isFrozen(customer)) return JSON.stringify(customer);
    let text = this.texts.get(customer);
    if (text === undefined) {
      text = JSON.stringify(customer);
      this.texts.set(customer, text);
    }
    return text;
  }
}

/**
 * Exactly `JSON.stringify(payload)` for a customer page (keys in their order, undefined ones
 * left out), with its nodes from `nodeJson`; any other payload goes to JSON.stringify.
 */
export function customerPageJson(payload: unknown, nodeJson: (c: CustomerView) => string): string {
  if (!isCustomerPage(payload)) return JSON.stringify(payload);
  const members: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    const text =
      key === 'nodes' ? `[${payload.nodes.map(nodeJson).join(',')}]` : JSON.stringify(value);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

function isCustomerPage(payload: unknown): payload is CustomerPageView {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    !('toJSON' in payload) &&
    Array.isArray((payload as { nodes?: unknown }).nodes)
  );
}
