import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isNonNullType, isObjectType } from 'graphql';
import { CustomerPage } from './customer-page.model.js';
import { Customer } from './customer.model.js';
import { Note, NoteAuthor } from './note.model.js';

// @nestjs/swagger's metadata keys (constants.js): the property list and each property's options.
const OPENAPI_PROPERTIES = 'swagger/apiModelPropertiesArray';
const OPENAPI_PROPERTY = 'swagger/apiModelProperties';

interface OpenApiProperty {
  nullable?: boolean;
  required?: boolean;
  description?: string;
}

const schema = buildSchema(readFileSync(join(process.cwd(), 'schema.gql'), 'utf8'));

function openApiOf(model: new () => object): Map<string, OpenApiProperty> {
  const names = (Reflect.getMetadata(OPENAPI_PROPERTIES, model.prototype) as string[]).map((name) =>
    name.replace(/^:/, ''),
  );
  return new Map(
    names.map((name) => [
      name,
      Reflect.getMetadata(OPENAPI_PROPERTY, model.prototype, name) as OpenApiProperty,
    ]),
  );
}

describe('one shape per model for GraphQL (schema.gql) and OpenAPI', () => {
  it.each([
    ['Customer', Customer],
    ['CustomerPage', CustomerPage],
    ['Note', Note],
    ['NoteAuthor', NoteAuthor],
  ] as const)('%s: the same fields, nullability and descriptions in both', (typeName, model) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type in schema.gql`);
    const graphql = type.getFields();
    const openApi = openApiOf(model);
    expect([...openApi.keys()].sort()).toEqual(Object.keys(graphql).sort());
    for (const [name, property] of openApi) {
      const field = graphql[name];
      expect({ name, nullable: property.nullable === true }).toEqual({
        name,
        nullable: !isNonNullType(field.type),
      });
      expect(property.required).not.toBe(false);
      if (property.description && field.description)
        expect({ name, description: property.description }).toEqual({
          name,
          description: field.description,
        });
    }
  });
});
