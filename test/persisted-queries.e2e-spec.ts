/**
 * Automatic persisted queries (APQ): a hash that does not match the query text is the client's
 * protocol error, answered with its own code and never from a replay of the right hash.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';
import { countQuery, onlyError, type GqlBody } from './support/graphql-client.js';
import { capturingLogger } from './support/log-capture.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const PINO_ERROR = 50;

describe('persisted queries (e2e)', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let lines: () => string[];

  beforeAll(async () => {
    sim = await startSimulator({ customers: 10 });
    gateway = await startGateway(sim, { LOG_LEVEL: 'info' }, (config) => {
      const capture = capturingLogger(config);
      lines = capture.lines;
      return { logger: capture.logger };
    });
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  const post = async (query: string | undefined, hash: string) => {
    const response = await request(gateway.url)
      .post('/graphql')
      .set('Authorization', bearer())
      .send({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    return {
      status: response.status,
      body: response.body as GqlBody,
      xCache: response.headers['x-cache'],
    };
  };
  const errorLines = () =>
    lines().filter((line) => (JSON.parse(line) as { level: number }).level >= PINO_ERROR);

  it('answers a hash that does not match the text with PERSISTED_QUERY_HASH_MISMATCH, not an internal error', async () => {
    const query = countQuery('111');
    const before = errorLines().length;
    const { status, body } = await post(query, sha256('something else'));
    expect(status).toBe(400);
    expect(onlyError(body)).toEqual({
      message: 'provided sha does not match query',
      extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
    });
    expect(errorLines().slice(before)).toEqual([]);
  });

  it('never answers a wrong hash from the replay of the right one', async () => {
    const query = countQuery('222');
    expect((await post(query, sha256(query))).status).toBe(200);
    const replayed = await post(query, sha256(query));
    expect(replayed).toMatchObject({ status: 200, xCache: 'HIT' });
    const wrong = await post(query, sha256('another query'));
    expect(wrong.status).toBe(400);
    expect(onlyError(wrong.body).extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    // The registered hash alone still works (APQ's second round trip).
    const byHash = await post(undefined, sha256(query));
    expect(byHash.status).toBe(200);
    expect(byHash.body.data).toEqual(replayed.body.data);
  });
});
