// Which webhook URLs and addresses the gateway may send to (SSRF rules). Pure: the DNS
// lookups that feed it live in target-lookup.ts.
import ipaddr from 'ipaddr.js';
import type { FieldViolation } from '../common/errors/gateway-error.js';

/** Longest URL accepted (bytes, UTF-8). */
export const MAX_WEBHOOK_URL_BYTES = 2048;

export const PRIVATE_TARGET_RULE =
  'must not resolve to a loopback, private, link-local or unique-local address';

/** The URL's problems as field violations (empty: acceptable in form; addresses are apart). */
export function urlViolations(url: string, field = 'url'): FieldViolation[] {
  if (Buffer.byteLength(url, 'utf8') > MAX_WEBHOOK_URL_BYTES)
    return [{ field, rule: `must be at most ${MAX_WEBHOOK_URL_BYTES} bytes` }];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ field, rule: 'must be an absolute http or https URL', value: url }];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return [{ field, rule: 'must be an absolute http or https URL', value: url }];
  // The value is not echoed: it holds the credentials the rule is about.
  if (parsed.username !== '' || parsed.password !== '')
    return [{ field, rule: 'must not contain credentials (user:password@)' }];
  if (parsed.hostname === '') return [{ field, rule: 'must name a host', value: url }];
  return [];
}

/** The host to resolve or check: brackets of an IPv6 literal removed. */
export function hostOf(url: string): string {
  const host = new URL(url).hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The host as an IP address when it is one (WHATWG URLs normalize 0177.1, 2130706433, ...). */
export function ipLiteralOf(host: string): string | null {
  return ipaddr.isValid(host) ? host : null;
}

/**
 * Whether an address is an ordinary public unicast one. Everything else is refused: loopback,
 * RFC 1918, 100.64/10, 169.254/16, fc00::/7, fe80::/10, unspecified, multicast, reserved, and
 * IPv6 forms that embed an IPv4 address (mapped ones are judged by the IPv4 they carry; NAT64,
 * 6to4 and Teredo are refused whole).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}
