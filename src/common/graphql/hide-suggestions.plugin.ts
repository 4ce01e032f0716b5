import type { ApolloServerPlugin } from '@apollo/server';

// graphql-js's didYouMean(): ` Did you mean "a"?`, ` Did you mean "a" or "b"?`, and for enums
// ` Did you mean the enum value "A"?`. Names never contain `?`, so the clause ends at the first one.
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Drops graphql-js's "Did you mean ...?" from every error message (unknown fields, arguments,
 * input fields, types and enum values, in literals or variables): each names schema members
 * that disabled introspection is meant to hide. graphql-armor's blockFieldSuggestion misses
 * the enum form.
 */
export function hideSuggestionsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
        },
      };
    },
  };
}
