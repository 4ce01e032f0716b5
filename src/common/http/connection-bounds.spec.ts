import 'reflect-metadata';
import { loadConfig } from '../../config/load-config.js';
import {
  connectionsCheckingIntervalMs,
  connectionTimeouts,
  declaresBodyOver,
} from './connection-bounds.js';

describe('connectionsCheckingIntervalMs', () => {
  it.each([
    [100, 100],
    [400, 100],
    [2500, 250],
    [10_000, 1000],
    [300_000, 1000],
  ])('sweeps a %i ms headers bound every %i ms', (headersTimeoutMs, expected) => {
    expect(connectionsCheckingIntervalMs(headersTimeoutMs)).toBe(expected);
  });
});

describe('connectionTimeouts', () => {
  it('hands Node the headers, request and keep-alive bounds from the configuration', () => {
    const config = loadConfig({
      REQUEST_TIMEOUT_MS: '20000',
      HEADERS_TIMEOUT_MS: '5000',
      KEEP_ALIVE_TIMEOUT_MS: '3000',
    });
    expect(connectionTimeouts(config)).toEqual({
      requestTimeout: 20_000,
      keepAliveTimeout: 3000,
      http: { requestTimeout: 20_000, headersTimeout: 5000, connectionsCheckingInterval: 500 },
    });
  });

  it('defaults to 10 s for headers and 5 s idle, well under the 30 s request bound', () => {
    const { http, keepAliveTimeout } = connectionTimeouts(loadConfig({}));
    expect(http).toEqual({
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      connectionsCheckingInterval: 1000,
    });
    expect(keepAliveTimeout).toBe(5000);
  });
});

describe('declaresBodyOver', () => {
  it.each([
    [{ 'content-length': '65537' }, true],
    [{ 'content-length': '65536' }, false],
    [{ 'content-length': '0' }, false],
    [{ 'transfer-encoding': 'chunked' }, false],
    [{}, false],
    [{ 'content-length': 'lots' }, false],
  ])('%j over a 64 KiB limit: %s', (headers, expected) => {
    expect(declaresBodyOver(headers, 65_536)).toBe(expected);
  });
});
