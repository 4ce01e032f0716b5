import fc from 'fast-check';
import { createSecretRedactor } from './secret-redactor.js';

const TOKEN = 'EAAG-page-token-0123456789';
const KEY = 'partner-key.+*?(x)[y]{z}|^$\\';
const redact = createSecretRedactor([TOKEN, KEY]);

describe('createSecretRedactor', () => {
  it('replaces every configured secret, even one full of regex metacharacters', () => {
    expect(redact(`token ${TOKEN} and ${TOKEN}`)).toBe('token [redacted] and [redacted]');
    expect(redact(`key=${KEY};`)).toBe('key=[redacted];');
  });

  it('scrubs page_access_token in URLs and Bearer credentials, in any case', () => {
    expect(redact('GET /pages/1?page_access_token=abc&since=1')).toBe(
      'GET /pages/1?page_access_token=[redacted]&since=1',
    );
    expect(redact('Authorization: bearer some-unknown-key')).toBe(
      'Authorization: bearer [redacted]',
    );
  });

  it('walks objects, arrays and errors, and blanks secret-named fields', () => {
    const error = new Error(`failed with ${TOKEN}`);
    const scrubbed = redact({
      list: [TOKEN],
      nested: { message: `x ${KEY}` },
      authorization: 'anything',
      apiKey: 'anything',
      err: error,
    }) as Record<string, unknown>;
    expect(JSON.stringify(scrubbed)).not.toContain(TOKEN);
    expect(JSON.stringify(scrubbed)).not.toContain('partner-key');
    expect(scrubbed.authorization).toBe('[redacted]');
    expect(scrubbed.apiKey).toBe('[redacted]');
    expect((scrubbed.err as { message: string }).message).toBe('failed with [redacted]');
  });

  it('never lets a secret through, wherever it sits in a string', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom(TOKEN, KEY),
        fc.string(),
        (before, secret, after) => {
          expect(redact(`${before}${secret}${after}`)).not.toContain(secret);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns a string with nothing to scrub unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/page_access_token=|bearer\s/i.test(text));
        fc.pre(!text.includes(TOKEN) && !text.includes(KEY));
        expect(redact(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
