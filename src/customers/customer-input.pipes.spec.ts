import { loadConfig } from '../config/load-config.js';
import { badInputViolations } from '../../test/support/violations.js';
import {
  CustomerChangesPipe,
  CustomerIdPipe,
  NoteMessagePipe,
  PhoneNumbersPipe,
} from './customer-input.pipes.js';

const config = loadConfig({ PHONE_DEFAULT_REGION: 'VN' });

describe('CustomerChangesPipe', () => {
  const pipe = new CustomerChangesPipe(config);

  it('hands on only the given fields, normalized', () => {
    const input = Object.assign(Object.create(null) as object, {
      name: '  Ann ',
      gender: 'FEMALE',
      phoneNumbers: ['090 123 4567'],
    });
    expect(pipe.transform(input)).toEqual({
      name: 'Ann',
      gender: 'female',
      phoneNumbers: ['+84901234567'],
    });
  });

  it("refuses by the policy's rules, naming each field", () => {
    expect(badInputViolations(() => pipe.transform({ birthday: '2999-01-01', x: 1 }))).toEqual([
      { field: 'birthday', rule: 'must not be in the future', value: '2999-01-01' },
      {
        field: 'x',
        rule: 'cannot be changed (upstream accepts only name, phoneNumbers, gender, birthday)',
      },
    ]);
    expect(badInputViolations(() => pipe.transform(['name']))).toEqual([
      { field: 'changes', rule: 'must be an object' },
    ]);
  });
});

describe('PhoneNumbersPipe', () => {
  const pipe = new PhoneNumbersPipe(config);

  it('keeps the rest of the input and gives the numbers in E.164, once each', () => {
    expect(pipe.transform({ id: 'c', phoneNumbers: ['0901234567', '+84 90 123 4567'] })).toEqual({
      id: 'c',
      phoneNumbers: ['+84901234567'],
    });
  });

  it.each([[[]], ['0901234567'], [null]])('refuses %j: not a non-empty list', (phoneNumbers) => {
    expect(badInputViolations(() => pipe.transform({ phoneNumbers }))).toEqual([
      { field: 'phoneNumbers', rule: 'must be a non-empty list of phone numbers' },
    ]);
  });

  it('names each bad number by its index', () => {
    expect(badInputViolations(() => pipe.transform({ phoneNumbers: ['0901234567', 'x'] }))).toEqual(
      [
        {
          field: 'phoneNumbers[1]',
          rule: 'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
          value: 'x',
        },
      ],
    );
  });
});

describe('NoteMessagePipe', () => {
  const pipe = new NoteMessagePipe();

  it('keeps the rest of the input and trims the message', () => {
    expect(pipe.transform({ customerId: 'c', message: ' hi\r\n' })).toEqual({
      customerId: 'c',
      message: 'hi',
    });
  });

  it('refuses an empty message', () => {
    expect(badInputViolations(() => pipe.transform({ message: '  ' }))).toEqual([
      { field: 'message', rule: 'must not be empty', value: '  ' },
    ]);
  });
});

describe('CustomerIdPipe', () => {
  it('lower-cases a UUID and leaves anything else for the services to refuse', () => {
    const pipe = new CustomerIdPipe();
    expect(pipe.transform('6F1C2A3E-4B5D-4E6F-8A7B-9C0D1E2F3A4B')).toBe(
      '6f1c2a3e-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
    );
    expect(pipe.transform('../x')).toBe('../x');
  });
});
