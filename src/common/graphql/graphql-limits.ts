import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { hideSuggestionsPlugin } from './hide-suggestions.plugin.js';
import { upstreamReadsRule } from './upstream-reads.rule.js';
import { upstreamRequestsRule } from './upstream-requests.rule.js';

// Bounds sized to the schema: its deepest useful query (customers.nodes.notes.createdBy.uid) is 5.
export const MAX_QUERY_DEPTH = 8;
export const MAX_ALIASES = 10;
export const MAX_DIRECTIVES = 10;
/** Tokens per document; the standard introspection query needs about 300. */
export const MAX_TOKENS = 2000;

export interface GraphqlLimits {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
}

/**
 * Abuse limits, all checked before execution: depth, aliases, directives and cost (graphql-armor),
 * tokens (graphql-js's parser), and the upstream reads and requests one operation may fan out to.
 */
export function graphqlLimits(config: GatewayConfig): GraphqlLimits {
  const hideSchema = config.nodeEnv === 'production' || !config.graphql.introspection;
  const armor = new ApolloArmor({
    maxDepth: { n: MAX_QUERY_DEPTH },
    maxAliases: { n: MAX_ALIASES },
    maxDirectives: { n: MAX_DIRECTIVES },
    costLimit: { maxCost: 5000 },
    // graphql-js's own maxTokens aborts parsing with a plain syntax error (400), armor's throws a 500.
    maxTokens: { enabled: false },
    // Replaced by hideSuggestionsPlugin, which also hides enum value suggestions.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    plugins: [
      // Armor's typings name Apollo's CJS build, the app loads its ESM build: same plugin shape.
      ...(armor.plugins as unknown as ApolloServerPlugin[]),
      // "Did you mean ...?" would describe the schema that disabled introspection hides.
      ...(hideSchema ? [hideSuggestionsPlugin()] : []),
    ],
    validationRules: [
      ...armor.validationRules,
      upstreamReadsRule(config.graphql.maxUpstreamReads),
      upstreamRequestsRule(config.graphqlMaxUpstreamRequests),
    ],
    parseOptions: { maxTokens: MAX_TOKENS },
  };
}
