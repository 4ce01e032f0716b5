import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../errors/error-code.js';

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
 * Distinct response keys (alias or name) of read fields at the root, through fragments:
 * graphql-js merges equal keys into one execution, so `a: customers ... a: customers` reads once.
 * @skip/@include are ignored: the bound holds whatever the variables say.
 */
export function countRootReads(
  selectionSet: SelectionSetNode,
  context: Pick<ValidationContext, 'getFragment'>,
  readFields: ReadonlySet<string> = UPSTREAM_READ_FIELDS,
): number {
  const keys = new Set<string>();
  const visitedFragments = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (readFields.has(selection.name.value))
          keys.add((selection.alias ?? selection.name).value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        // A fragment adds the same keys wherever it is spread; once also stops cycles.
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = context.getFragment(name);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(selectionSet);
  return keys.size;
}
