// DNS for webhook targets, checked as used: at creation, and at connect time through the
// lookup undici's sockets use (so a name that rebinds to a private address is refused).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { hostOf, ipLiteralOf, isPublicAddress } from './webhook-target.policy.js';

/** A target refused by the SSRF rules (its message names the host, never the URL's path). */
export class TargetRefusedError extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(host: string) {
    super(`Webhook target ${host} resolves to a non-public address`);
    this.name = 'TargetRefusedError';
  }
}

/**
 * A `net` lookup that answers only when every address of the name is public (a name with one
 * private answer among public ones could be steered to it).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))
      return callback(new TargetRefusedError(hostname), '', 0);
    if (options.all) return (callback as AllCallback)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
type AllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/** What creation makes of a URL's host: public, refused, or not resolvable at all. */
export type TargetCheck = 'public' | 'private' | 'unresolvable';

export async function checkTarget(url: string): Promise<TargetCheck> {
  const host = hostOf(url);
  if (ipLiteralOf(host)) return isPublicAddress(host) ? 'public' : 'private';
  return new Promise((resolve) => {
    publicOnlyLookup(host, { all: true }, (error) => {
      if (!error) resolve('public');
      else resolve(error instanceof TargetRefusedError ? 'private' : 'unresolvable');
    });
  });
}
