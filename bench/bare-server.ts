// The baseline server: plain node:http answering every request with the bytes read from stdin
// (a response the gateway produced) and the CONTENT_TYPE given. Request bodies are read, then
// ignored, so a POST costs what it costs any server.
import { createServer } from 'node:http';

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', () => {
  const body = Buffer.concat(chunks);
  const headers = {
    'content-type': process.env.CONTENT_TYPE ?? 'application/json',
    'content-length': body.length,
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    // Do not wait on the load generator's kept-alive sockets.
    server.closeAllConnections();
  });
});
