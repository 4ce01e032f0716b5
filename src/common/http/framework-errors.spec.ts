import { HTTP_STATUS_BY_CODE } from '../errors/error-code.js';
import { clientErrorAnswer } from './framework-errors.js';

describe('clientErrorAnswer', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_OVERFLOW', 431, 'BAD_USER_INPUT'],
    ['HPE_INVALID_METHOD', 400, 'BAD_USER_INPUT'],
    [undefined, 400, 'BAD_USER_INPUT'],
  ])('answers %s with %i %s', (errorCode, status, code) => {
    expect(clientErrorAnswer(errorCode)).toMatchObject({ status, code });
  });

  it('keeps the 408 in step with the error-code table', () => {
    const answer = clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT');
    expect(HTTP_STATUS_BY_CODE[answer.code]).toBe(answer.status);
  });
});
