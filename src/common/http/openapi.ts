import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponse } from './error-response.js';

/** Name of the bearer scheme in the document; controllers refer to it with @ApiBearerAuth. */
export const OPENAPI_SECURITY = 'api-key';
export const DOCS_PATH = '/docs';

/** The OpenAPI document of the REST mirror, from the controllers' decorators. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('pancake-gateway REST mirror')
    .setDescription(
      'The REST mirror of the GraphQL API (same shapes, camelCase, gender lower case). ' +
        'Errors are always {"error":{"code","message","details"?}}.',
    )
    .setVersion('1')
    // Relative: the document describes whichever gateway serves it.
    .addServer('/')
    // addSecurity, not addBearerAuth: that one adds `bearerFormat: JWT`, and keys are no JWTs.
    .addSecurity(OPENAPI_SECURITY, {
      type: 'http',
      scheme: 'bearer',
      description: 'A key from GATEWAY_API_KEYS',
    })
    // Every operation needs a key unless it says otherwise (the avatar redirect: security []).
    .addSecurityRequirements(OPENAPI_SECURITY)
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
}

/**
 * `/docs` (Swagger UI, assets served from swagger-ui-dist: no CDN, works offline) and
 * `/docs-json`, generated from the controllers' decorators. Health and metrics are excluded there.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  // Built on first request, not at boot: most processes never serve the docs.
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => openApiDocument(app), {
    raw: ['json'],
    jsonDocumentUrl: `${DOCS_PATH.slice(1)}-json`,
    customSiteTitle: 'pancake-gateway REST API',
    // The online validator badge would fetch from validator.swagger.io.
    swaggerOptions: { validatorUrl: null, persistAuthorization: false },
  });
}
