import { PARAM_ARGS_METADATA } from '@nestjs/graphql';

/**
 * Lets Nest hand a @ResolveField method straight to graphql-js, which then calls it as
 * `(parent, args)` and gets its value synchronously. Without this, a parameter decorator (@Args)
 * routes every call through Nest's async pipeline: a promise per object, so every node of a list
 * completes asynchronously. @Args still declares the arguments in the schema; only the injection
 * metadata is dropped, so no pipes run and parameters come in graphql-js order. Put it above
 * @ResolveField (decorators apply bottom-up: it must run after @Args).
 */
export function PlainFieldResolver(): MethodDecorator {
  return (target, key) => {
    Reflect.deleteMetadata(PARAM_ARGS_METADATA, target.constructor, key);
  };
}
