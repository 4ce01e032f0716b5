import { parseGraphqlFile, parseHttpFile, substitute, valueAt } from './example-files.js';

describe('examples/ file formats', () => {
  it('reads file variables, requests, headers, bodies and directives of a .http file', () => {
    const file = parseHttpFile(
      [
        '# a comment',
        '@baseUrl = http://localhost:3000',
        '@key = k',
        '',
        '### Create a note',
        '# expect: 201',
        '# capture: noteId=id',
        'POST {{baseUrl}}/v1/notes',
        'Authorization: Bearer {{key}}',
        'Content-Type: application/json',
        '',
        '{"message": "hi"}',
        '',
        '### Without a body',
        'GET {{baseUrl}}/health/live',
      ].join('\n'),
    );
    expect(file.variables).toEqual({ baseUrl: 'http://localhost:3000', key: 'k' });
    expect(file.requests).toEqual([
      {
        title: 'Create a note',
        method: 'POST',
        url: '{{baseUrl}}/v1/notes',
        headers: [
          ['Authorization', 'Bearer {{key}}'],
          ['Content-Type', 'application/json'],
        ],
        body: '{"message": "hi"}',
        expectStatus: 201,
        captures: [{ variable: 'noteId', path: 'id' }],
      },
      {
        title: 'Without a body',
        method: 'GET',
        url: '{{baseUrl}}/health/live',
        headers: [],
        captures: [],
      },
    ]);
  });

  it('reads the variables and directives of a .graphql file', () => {
    const example = parseGraphqlFile(
      [
        '# auth: none',
        '# expect: UNAUTHENTICATED',
        '# capture: noteId=createNote.id',
        'mutation M($pageId: ID!, $message: String!) {',
        '  createNote(pageId: $pageId, message: $message) { id }',
        '}',
      ].join('\n'),
    );
    expect(example).toMatchObject({
      variableNames: ['pageId', 'message'],
      expectCode: 'UNAUTHENTICATED',
      withoutKey: true,
      captures: [{ variable: 'noteId', path: 'createNote.id' }],
    });
  });

  it('substitutes variables, refusing unknown ones, and follows dotted paths', () => {
    expect(substitute('{{a}}/{{b}}', { a: '1', b: '2' })).toBe('1/2');
    expect(() => substitute('{{c}}', {})).toThrow('no value for {{c}}');
    expect(valueAt({ createNote: { id: 'n1' } }, 'createNote.id')).toBe('n1');
    expect(valueAt({}, 'createNote.id')).toBeUndefined();
  });
});
