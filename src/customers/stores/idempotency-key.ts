import { GatewayError } from '../../common/errors/gateway-error.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// C0 controls, DEL and C1 controls: never part of a sane key, and unsafe in logs and Redis keys.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The store's own floor under whatever the transport validates: a bounded, printable key.
 * Throws GatewayError BAD_USER_INPUT on field `idempotencyKey`.
 */
export function assertIdempotencyKey(key: string): void {
  const rule =
    key.length === 0
      ? 'must not be empty'
      : [...key].length > MAX_IDEMPOTENCY_KEY_LENGTH
        ? `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`
        : CONTROL_CHARACTER.test(key)
          ? 'must not contain control characters'
          : null;
  if (rule) throw GatewayError.badInput([{ field: 'idempotencyKey', rule }]);
}
