import { Extensions } from '@nestjs/graphql';
import {
  GraphQLError,
  type ASTVisitor,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../errors/error-code.js';
import { rootFieldsByResponseKey } from './root-fields.js';

/** The field extension where a root field declares its upstream requests. */
export const UPSTREAM_REQUESTS_EXTENSION = 'upstreamRequests';

/**
 * On a root Query or Mutation resolver: the most requests to Pancake one execution of the field
 * may send, retries aside. Declared where the field is, read by upstreamRequestsRule.
 */
export const UpstreamRequests = (requests: number): MethodDecorator =>
  Extensions({ [UPSTREAM_REQUESTS_EXTENSION]: requests });

/**
 * Refuses, before execution, an operation of any type whose root fields may together send more
 * than `maxRequests` requests to Pancake: aliases multiply writes as they multiply reads
 * (6 aliased createNote made 18 upstream requests). A field that declares nothing costs nothing.
 */
export function upstreamRequestsRule(maxRequests: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      const definitions = root?.getFields() ?? {};
      let requests = 0;
      for (const name of rootFieldsByResponseKey(operation.selectionSet, context).values()) {
        const declared = definitions[name]?.extensions[UPSTREAM_REQUESTS_EXTENSION];
        if (typeof declared === 'number') requests += declared;
      }
      if (requests > maxRequests) {
        context.reportError(
          new GraphQLError(
            `this operation may send up to ${requests} requests to Pancake; at most ${maxRequests} per request`,
            { nodes: operation, extensions: { code: ErrorCode.BAD_USER_INPUT } },
          ),
        );
      }
      // Nothing below the root needs a visit.
      return false;
    },
  });
}
