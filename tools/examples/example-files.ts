// Reads the examples/ files: `.http` (VS Code REST Client / JetBrains HTTP Client) and
// `.graphql` with a few comment directives the runner understands:
//   # expect: 201 | UNAUTHENTICATED     the status (.http) or error code (.graphql); default 2xx / data
//   # capture: noteId=createNote.id     a value of the answer for later requests
//   # auth: none                        (.graphql) sent without a key

export interface Capture {
  variable: string;
  /** Dotted path into the JSON answer (.http: the body; .graphql: `data`). */
  path: string;
}

export interface HttpExample {
  title: string;
  method: string;
  /** With {{variables}} still in place. */
  url: string;
  headers: [string, string][];
  body?: string;
  expectStatus?: number;
  captures: Capture[];
}

export interface HttpFile {
  variables: Record<string, string>;
  requests: HttpExample[];
}

export interface GraphqlExample {
  query: string;
  /** The operation's declared variables ($pageId, ...), by name. */
  variableNames: string[];
  expectCode?: string;
  withoutKey: boolean;
  captures: Capture[];
}

function directive(line: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*(?:#|//)\\s*${name}:\\s*(.+?)\\s*$`).exec(line);
  return match?.[1];
}

function captureOf(line: string): Capture | undefined {
  const value = directive(line, 'capture');
  const match = value && /^(\w+)=([\w.]+)$/.exec(value);
  return match ? { variable: match[1], path: match[2] } : undefined;
}

const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line);

export function parseHttpFile(text: string): HttpFile {
  const variables: Record<string, string> = {};
  const requests: HttpExample[] = [];
  const blocks = text.split(/^###/m);
  for (const line of blocks[0].split('\n')) {
    const variable = /^@(\w+)\s*=\s*(.*?)\s*$/.exec(line);
    if (variable) variables[variable[1]] = variable[2];
  }
  for (const block of blocks.slice(1)) {
    const [titleLine, ...lines] = block.split('\n');
    const request: HttpExample = {
      title: titleLine.trim(),
      method: '',
      url: '',
      headers: [],
      captures: [],
    };
    let part: 'before' | 'headers' | 'body' = 'before';
    const body: string[] = [];
    for (const line of lines) {
      if (part === 'before') {
        const expected = directive(line, 'expect');
        if (expected) request.expectStatus = Number(expected);
        const capture = captureOf(line);
        if (capture) request.captures.push(capture);
        if (isComment(line) || line.trim() === '') continue;
        const [method, url] = line.trim().split(/\s+/);
        Object.assign(request, { method, url });
        part = 'headers';
      } else if (part === 'headers') {
        if (line.trim() === '') {
          part = 'body';
          continue;
        }
        const colon = line.indexOf(':');
        request.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
      } else {
        body.push(line);
      }
    }
    const text = body.join('\n').trim();
    if (text) request.body = text;
    if (request.method) requests.push(request);
  }
  return { variables, requests };
}

export function parseGraphqlFile(text: string): GraphqlExample {
  const lines = text.split('\n');
  const header = /^\s*(query|mutation)\b[^{]*/m.exec(text)?.[0] ?? '';
  return {
    query: text,
    variableNames: [...header.matchAll(/\$(\w+)\s*:/g)].map((m) => m[1]),
    expectCode: lines.map((l) => directive(l, 'expect')).find(Boolean),
    withoutKey: lines.some((l) => directive(l, 'auth') === 'none'),
    captures: lines.map(captureOf).filter((c): c is Capture => c !== undefined),
  };
}

/** Replaces every {{name}}; an unknown name is an error, not a silent blank. */
export function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in variables)) throw new Error(`no value for {{${name}}}`);
    return variables[name];
  });
}

export function valueAt(json: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      json,
    );
}
