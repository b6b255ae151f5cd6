// The do-nothing HTTP endpoint (a child process): node:http like s3push, but it discards PUT bodies and serves GETs from memory.
//
// It gives the ceilings of this machine's loopback and of the load generator itself: whatever
// s3push does on top of node:http shows up as the gap to these numbers.
// Run: node dist/bench/lib/null-server.js --port <p>. GET/HEAD answer `x-null-size` bytes (default 4096).
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port);
const pieceBytes = 1024 * 1024;
const piece = Buffer.alloc(pieceBytes, 0x61);
const defaultSizeBytes = 4096;

const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => {
  const sizeHeader = req.headers['x-null-size'];
  const sizeBytes = typeof sizeHeader === 'string' ? Number(sizeHeader) : defaultSizeBytes;
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(200, { 'content-length': sizeBytes, etag: '"00000000000000000000000000000000"', 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') return res.end();
    let sent = 0;
    const pump = (): void => {
      while (sent < sizeBytes) {
        const take = Math.min(pieceBytes, sizeBytes - sent);
        sent += take;
        if (!res.write(take === pieceBytes ? piece : piece.subarray(0, take))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { etag: '"00000000000000000000000000000000"', 'content-length': 0 });
    res.end();
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
