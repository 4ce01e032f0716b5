/**
 * A client posting oversized bodies, for test/http-bounds.e2e-spec.ts. It runs in its own
 * process: in the gateway's process the client's writes and the gateway's close share one event
 * loop, and the reset that made real clients lose the 413 does not show.
 * Run: node --import tsx test/support/upload-client.ts URL MODE COUNT BYTES KEY
 *   MODE fetch: the global fetch with Content-Length; chunked: fetch with a stream body (no
 *   Content-Length); expect: node:http with `Expect: 100-continue`, sending the body only on
 *   `100 Continue` (fetch refuses to send Expect).
 * Prints one JSON line: {"statuses":{"413":20},"codes":["PAYLOAD_TOO_LARGE"],"errors":[]},
 * errors being socket errors seen on any try, even after the answer.
 */
import http from 'node:http';

export interface UploadResult {
  statuses: Record<string, number>;
  /** Distinct `error.code` values of the answers' bodies. */
  codes: string[];
  errors: string[];
}

const [url, mode, count, bytes, key] = process.argv.slice(2);
const body = Buffer.alloc(Number(bytes), 'a');
const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
const result: UploadResult = { statuses: {}, codes: [], errors: [] };

async function viaFetch(stream: boolean): Promise<{ status: number; text: string }> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body };
  if (stream) {
    init.body = new Blob([body]).stream();
    init.duplex = 'half';
  }
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

function expectingContinue(): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': body.length, expect: '100-continue' },
    });
    request.on('continue', () => request.end(body));
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      // A reset right after the answer still counts: let it arrive before resolving.
      response.on('end', () =>
        setTimeout(() => resolve({ status: response.statusCode ?? 0, text }), 50),
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) result.errors.push(error.code ?? error.message);
      else reject(error);
    });
  });
}

for (let i = 0; i < Number(count); i += 1) {
  try {
    const { status, text } =
      mode === 'expect' ? await expectingContinue() : await viaFetch(mode === 'chunked');
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? 'none';
    if (!result.codes.includes(code)) result.codes.push(code);
  } catch (error) {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    result.errors.push(cause?.code ?? code ?? String(error));
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
