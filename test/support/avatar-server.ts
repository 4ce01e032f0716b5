/**
 * A stand-in for Pancake's public avatar redirect and its CDN, on 127.0.0.1, so a browser
 * test loads avatars without leaving the machine: GET /api/v1/pages/:page/avatar/:psid answers
 * 301 to /cdn/:psid.png, which is a small PNG, or 404 for psids ending in 0-4 (the dashboard
 * shows its placeholder then). Use `avatarBaseUrl` as PANCAKE_AVATAR_BASE_URL.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { deflateSync } from 'node:zlib';

export interface AvatarServer {
  avatarBaseUrl: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 40x40 PNG of one colour. */
function solidPng(rgb: [number, number, number]): Buffer {
  const size = 40;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill(rgb).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(size).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const COLOURS: [number, number, number][] = [
  [214, 104, 65],
  [64, 130, 109],
  [84, 101, 168],
  [176, 132, 46],
  [140, 82, 150],
];

export async function startAvatarServer(): Promise<AvatarServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const redirect = /^\/api\/v1\/pages\/\d+\/avatar\/(\d+)$/.exec(path);
    if (redirect) {
      response.writeHead(301, { location: `/cdn/${redirect[1]}.png` }).end();
      return;
    }
    const image = /^\/cdn\/(\d+)\.png$/.exec(path);
    const last = image ? Number(image[1].slice(-1)) : -1;
    if (!image || last < 5) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' })
      .end(solidPng(COLOURS[last - 5]));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    avatarBaseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
