import type { ApolloServerPlugin } from '@apollo/server';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDistDirectory, renderAltair, renderInitialOptions } from 'altair-static';

/** Where the GraphQL IDE is served; a browser opening /graphql is sent there. */
export const GRAPHQL_IDE_PATH = '/graphiql';
const INITIAL_OPTIONS_SCRIPT = 'initial_options.js';

/**
 * Altair (altair-static), served from the package like Swagger UI at /docs: no CDN, works
 * offline. Its start-up options come as a script file of their own, not inline, so the page runs
 * under the default Content-Security-Policy (script-src 'self') every other page has.
 */
export async function setupGraphqlIde(app: NestFastifyApplication): Promise<void> {
  const options = {
    baseURL: `${GRAPHQL_IDE_PATH}/`,
    endpointURL: '/graphql',
    initialName: 'pancake-gateway',
    // The gateway wants `Authorization: Bearer <key>` on every operation; the user pastes a key.
    initialHeaders: { Authorization: 'Bearer ' },
    disableAccount: true,
    serveInitialOptionsInSeperateRequest: INITIAL_OPTIONS_SCRIPT,
  } as const;
  const html = renderAltair(options);
  const initialOptions = renderInitialOptions(options);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(GRAPHQL_IDE_PATH, (_request, reply) => {
    void reply.redirect(`${GRAPHQL_IDE_PATH}/`, 301);
  });
  fastify.get(`${GRAPHQL_IDE_PATH}/`, (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(html);
  });
  fastify.get(`${GRAPHQL_IDE_PATH}/${INITIAL_OPTIONS_SCRIPT}`, (_request, reply) => {
    void reply.type('text/javascript; charset=utf-8').send(initialOptions);
  });
  await app.register(fastifyStatic, {
    root: getDistDirectory(),
    prefix: `${GRAPHQL_IDE_PATH}/`,
    decorateReply: false,
    index: false,
  });
}

/**
 * Apollo's landing page (what a browser gets from GET /graphql) as a pointer to the IDE: a
 * meta refresh, which needs no script and no CDN.
 */
export function graphqlIdeLandingPage(): ApolloServerPlugin {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>pancake-gateway GraphQL</title>' +
    `<meta http-equiv="refresh" content="0; url=${GRAPHQL_IDE_PATH}/"></head>` +
    `<body><a href="${GRAPHQL_IDE_PATH}/">GraphQL IDE</a></body></html>`;
  return {
    serverWillStart() {
      return Promise.resolve({ renderLandingPage: () => Promise.resolve({ html }) });
    },
  };
}
