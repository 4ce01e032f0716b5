import { Injectable, type PipeTransform } from '@nestjs/common';
import { GatewayError } from '../common/errors/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { normalizeCustomerId } from '../pancake/path-segments.js';
import type { CustomerChanges } from '../pancake/pancake.model.js';
import { validateCustomerChanges } from '../pancake/policy/customer-changes.policy.js';
import { validateNoteMessage } from '../pancake/policy/note-message.policy.js';
import { normalizePhoneNumbers } from '../pancake/policy/phone-number.js';

// Where write input becomes typed, once, for both transports: the same pipe on the REST body and
// on the GraphQL arguments, each running one pure policy. They run after the global
// ValidationPipe (types, unknown fields), so services get validated, normalized values.

/**
 * `@Param('id', CustomerIdPipe)`, `@Args('id', ..., CustomerIdPipe)`: a UUID in any case becomes
 * the lower-case id upstream uses; anything else is left for the services to refuse by name.
 */
@Injectable()
export class CustomerIdPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown): unknown {
    return normalizeCustomerId(value);
  }
}

/**
 * `@Body(CustomerChangesPipe)` (the PATCH body) and `@Args('changes', CustomerChangesPipe)`:
 * the changes with only the fields given, validated and normalized by the update policy.
 */
@Injectable()
export class CustomerChangesPipe implements PipeTransform<unknown, CustomerChanges> {
  constructor(private readonly config: GatewayConfig) {}

  transform(changes: unknown): CustomerChanges {
    // A plain copy: the policy's whitelist reads own keys, whatever the transport built (a DTO
    // instance, graphql-js's null-prototype input object).
    const input = isObject(changes) ? { ...changes } : changes;
    return validateCustomerChanges(input as Record<string, unknown>, {
      defaultRegion: this.config.phoneDefaultRegion,
    });
  }
}

/**
 * `@Body(PhoneNumbersPipe)` and `@Args(PhoneNumbersPipe)` on an input with `phoneNumbers`: the
 * numbers to add, a non-empty list in E.164, de-duplicated.
 */
@Injectable()
export class PhoneNumbersPipe implements PipeTransform {
  constructor(private readonly config: GatewayConfig) {}

  transform<T extends { phoneNumbers: unknown }>(input: T): T & { phoneNumbers: string[] } {
    const { phoneNumbers } = input;
    if (!Array.isArray(phoneNumbers) || phoneNumbers.length === 0) {
      throw GatewayError.badInput([
        { field: 'phoneNumbers', rule: 'must be a non-empty list of phone numbers' },
      ]);
    }
    return {
      ...input,
      phoneNumbers: normalizePhoneNumbers(phoneNumbers, this.config.phoneDefaultRegion),
    };
  }
}

/** `@Body(NoteMessagePipe)` and `@Args(NoteMessagePipe)` on an input with `message`: the note's text, trimmed and checked. */
@Injectable()
export class NoteMessagePipe implements PipeTransform {
  transform<T extends { message: unknown }>(input: T): T & { message: string } {
    return { ...input, message: validateNoteMessage(input.message) };
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
