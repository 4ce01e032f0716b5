import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { GatewayError, type FieldViolation } from '../errors/gateway-error.js';
import { jsonShapeViolation } from './json-shape.js';

// class-validator names an unknown property with this constraint when forbidNonWhitelisted is on.
const WHITELIST_CONSTRAINT = 'whitelistValidation';
const UNKNOWN_FIELD_RULE = 'is not an accepted field';

/**
 * One violation per failed rule, named by its path from the DTO root the way the policies name
 * theirs (`phoneNumbers[0]`, `contact.phones[1].number`). DTO messages are bare rules ("must be a string").
 */
export function violationsOf(
  errors: readonly ValidationError[],
  parentPath = '',
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    const field = pathOf(parentPath, error.property);
    const rules = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
      constraint === WHITELIST_CONSTRAINT ? UNKNOWN_FIELD_RULE : message,
    );
    // Two decorators may share one message ("must be a list of strings"): say it once.
    for (const rule of new Set(rules)) violations.push({ field, rule });
    if (error.children?.length) violations.push(...violationsOf(error.children, field));
  }
  return violations;
}

function pathOf(parent: string, property: string): string {
  if (!property) return parent || 'body';
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

// Types Nest's ValidationPipe does not validate: a parameter of one is no DTO.
const NOT_DTOS: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array, Date]);

/**
 * Nest's ValidationPipe, except that a JSON body must be an object: Nest would validate `[]`,
 * `"text"` or `null` as an empty DTO and hand the raw value to the handler. (GraphQL arguments
 * come as 'body' too: a named argument of a scalar type is no DTO body.)
 */
class RestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDtoBody =
      metadata.type === 'body' &&
      typeof metadata.metatype === 'function' &&
      !NOT_DTOS.has(metadata.metatype);
    if (
      isDtoBody &&
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw GatewayError.badInput([{ field: 'body', rule: 'must be a JSON object' }]);
    }
    if (metadata.type === 'query' || isDtoBody) {
      const violation = jsonShapeViolation(value, metadata.type === 'query' ? 'query' : 'body');
      if (violation) throw GatewayError.badInput([violation]);
    }
    return super.transform(value, metadata);
  }
}

/** The REST input boundary: unknown fields refused, types converted, failures in the contract's error shape. */
export function createValidationPipe(): ValidationPipe {
  return new RestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Rejected values are never copied into errors: they may be large or private.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => GatewayError.badInput(violationsOf(errors)),
  });
}
