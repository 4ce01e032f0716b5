import { GRAPHQL_SDL_FILE_END, GRAPHQL_SDL_FILE_HEADER } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** schema.gql exactly as Nest writes it (autoSchemaFile, sortSchema, addNewlineAtEnd). */
export function schemaSdl(schema: GraphQLSchema): string {
  return (
    GRAPHQL_SDL_FILE_HEADER + printSchema(lexicographicSortSchema(schema)) + GRAPHQL_SDL_FILE_END
  );
}
