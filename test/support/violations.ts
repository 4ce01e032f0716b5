import { ErrorCode } from '../../src/common/errors/error-code.js';
import { GatewayError, type FieldViolation } from '../../src/common/errors/gateway-error.js';

/** The violations of the BAD_USER_INPUT GatewayError `run` throws; fails the test otherwise. */
export function badInputViolations(run: () => unknown): FieldViolation[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return ((error as GatewayError).details as { violations: FieldViolation[] }).violations;
  }
  throw new Error('expected a GatewayError');
}
