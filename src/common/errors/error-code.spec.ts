import { codeForHttpStatus, ErrorCode, HTTP_STATUS_BY_CODE } from './error-code.js';

describe('codeForHttpStatus', () => {
  it("reads HTTP_STATUS_BY_CODE backwards for the gateway's client-side statuses", () => {
    const clientSide = Object.values(ErrorCode).filter(
      (code) =>
        HTTP_STATUS_BY_CODE[code] < 500 &&
        // Each shares its status with a more general code (422 bad input, 409 conflict).
        code !== ErrorCode.IDEMPOTENCY_KEY_REUSED &&
        code !== ErrorCode.SYNC_NOT_READY,
    );
    for (const code of clientSide) expect(codeForHttpStatus(HTTP_STATUS_BY_CODE[code])).toBe(code);
  });

  it('takes 422 (a Nest validation status) and any other 4xx as bad input', () => {
    for (const status of [405, 414, 415, 422, 431])
      expect(codeForHttpStatus(status)).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('names 503 only among the 5xx: the others are the gateway failing', () => {
    expect(codeForHttpStatus(503)).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    for (const status of [500, 502, 504]) expect(codeForHttpStatus(status)).toBeUndefined();
  });
});
