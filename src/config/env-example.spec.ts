import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from './environment.schema.js';

// .env.example is the operator's list: a variable the gateway reads must be in it.
describe('.env.example', () => {
  it('lists every variable of the environment schema', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = new Set([...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const read = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    expect(read.size).toBeGreaterThan(30);
    expect([...read].filter((name) => !listed.has(name))).toEqual([]);
  });
});
