import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureHeader } from './webhook-signing.js';

describe('webhook signing', () => {
  const body = '{"type":"customer.created","data":{"pageId":"111"}}';
  const at = new Date();
  const headers = (signature: string): Record<string, string> => ({
    'webhook-id': 'evt_1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  });

  it('makes whsec_ secrets of 32 random bytes, never twice the same', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs as the spec says: base64 HMAC-SHA256 of id.timestamp.body', () => {
    const secret = newWebhookSecret();
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`evt_1.${Math.floor(at.getTime() / 1000)}.${body}`)
      .digest('base64');
    expect(signatureHeader([secret], 'evt_1', at, body)).toBe(`v1,${expected}`);
  });

  it('verifies with the standardwebhooks package, as a receiver would', () => {
    const secret = newWebhookSecret();
    const signature = signatureHeader([secret], 'evt_1', at, body);
    expect(new Webhook(secret).verify(body, headers(signature))).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers(signature))).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers(signature))).toThrow();
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const signature = signatureHeader([current, previous], 'evt_1', at, body);
    expect(signature.split(' ')).toHaveLength(2);
    for (const secret of [current, previous])
      expect(() => new Webhook(secret).verify(body, headers(signature))).not.toThrow();
  });
});
