// Standard Webhooks signatures (standard-webhooks spec): `v1,<base64 HMAC-SHA256 of
// id.timestamp.body>`, one per secret, space-separated while a rotated secret is still honoured.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Secret bytes: the spec allows 24-64; 32 is HMAC-SHA256's block-sized sweet spot. */
const SECRET_BYTES = 32;

/** A new endpoint secret, `whsec_` + base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The `webhook-signature` header of exactly these body bytes, under each secret given. */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
