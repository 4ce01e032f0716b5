import {
  GraphQLError,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../errors/error-code.js';
import { rootFieldsByResponseKey } from './root-fields.js';

/** Root query fields that each cost (up to) one upstream read. */
export const UPSTREAM_READ_FIELDS: ReadonlySet<string> = new Set(['customers', 'customer']);

/**
 * Refuses, before execution, an operation whose root fields would read more than `maxReads`
 * pages from Pancake: aliases multiply reads, so one request could otherwise drain a page's
 * rate-limit budget for everyone.
 */
export function upstreamReadsRule(
  maxReads: number,
  readFields = UPSTREAM_READ_FIELDS,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'query') return false;
      const reads = countRootReads(operation.selectionSet, context, readFields);
      if (reads > maxReads) {
        context.reportError(
          new GraphQLError(
            `this operation reads ${reads} ${reads === 1 ? 'page' : 'pages'} from Pancake; at most ${maxReads} per request`,
            {
              nodes: operation,
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            },
          ),
        );
      }
      // Nothing below the root needs a visit.
      return false;
    },
  });
}

/**
 * Distinct response keys (alias or name) of read fields at the root, through fragments
 * (see rootFieldsByResponseKey).
 */
export function countRootReads(
  selectionSet: SelectionSetNode,
  context: Pick<ValidationContext, 'getFragment'>,
  readFields: ReadonlySet<string> = UPSTREAM_READ_FIELDS,
): number {
  let reads = 0;
  for (const name of rootFieldsByResponseKey(selectionSet, context).values()) {
    if (readFields.has(name)) reads += 1;
  }
  return reads;
}
