import { Kind, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * The root fields an operation runs, by response key (alias or name) -> field name, through
 * fragments: graphql-js merges equal keys into one execution, so `a: customers ... a: customers`
 * runs once. @skip/@include are ignored: a bound on this holds whatever the variables say.
 */
export function rootFieldsByResponseKey(
  selectionSet: SelectionSetNode,
  context: Pick<ValidationContext, 'getFragment'>,
): Map<string, string> {
  const fields = new Map<string, string>();
  const visitedFragments = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields.set((selection.alias ?? selection.name).value, selection.name.value);
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
  return fields;
}
