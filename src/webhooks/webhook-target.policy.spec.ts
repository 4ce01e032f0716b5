import fc from 'fast-check';
import {
  MAX_WEBHOOK_URL_BYTES,
  hostOf,
  ipLiteralOf,
  isPublicAddress,
  urlViolations,
} from './webhook-target.policy.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:192.168.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    'ff02::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('refuses every IPv4-mapped form of a refused IPv4 address', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(privateV4, (octets) => {
        const v4 = octets.join('.');
        const hex = (a: number, b: number): string => ((a << 8) | b).toString(16);
        return (
          !isPublicAddress(v4) &&
          !isPublicAddress(`::ffff:${v4}`) &&
          !isPublicAddress(`::ffff:${hex(octets[0], octets[1])}:${hex(octets[2], octets[3])}`)
        );
      }),
    );
  });
});

describe('urlViolations', () => {
  it('accepts http and https URLs', () => {
    expect(urlViolations('https://hooks.example.com/pancake?x=1')).toEqual([]);
    expect(urlViolations('http://example.com:8080/')).toEqual([]);
  });

  it.each([
    ['ftp://example.com/', 'must be an absolute http or https URL'],
    ['javascript:alert(1)', 'must be an absolute http or https URL'],
    ['/relative', 'must be an absolute http or https URL'],
    ['not a url', 'must be an absolute http or https URL'],
    ['https://user:secret@example.com/', 'must not contain credentials (user:password@)'],
    ['https://user@example.com/', 'must not contain credentials (user:password@)'],
  ])('%s: %s', (url, rule) => {
    expect(urlViolations(url)).toEqual([expect.objectContaining({ field: 'url', rule })]);
  });

  it('never echoes a URL with credentials', () => {
    expect(urlViolations('https://user:secret@example.com/')[0]).not.toHaveProperty('value');
  });

  it('refuses URLs over 2 KB', () => {
    const base = 'https://example.com/';
    const url = base + 'a'.repeat(MAX_WEBHOOK_URL_BYTES - base.length);
    expect(urlViolations(url)).toEqual([]);
    expect(urlViolations(url + 'a')).toEqual([
      { field: 'url', rule: `must be at most ${MAX_WEBHOOK_URL_BYTES} bytes` },
    ]);
  });
});

describe('hostOf and ipLiteralOf', () => {
  it('unbrackets IPv6 literals and sees through IPv4 spellings', () => {
    expect(hostOf('http://[::ffff:127.0.0.1]:8080/')).toBe('::ffff:7f00:1');
    expect(ipLiteralOf(hostOf('http://[::ffff:127.0.0.1]/'))).not.toBeNull();
    expect(hostOf('http://0177.0.0.1/')).toBe('127.0.0.1');
    expect(hostOf('http://2130706433/')).toBe('127.0.0.1');
    expect(ipLiteralOf(hostOf('http://localhost/'))).toBeNull();
  });
});
