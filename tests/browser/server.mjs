// A static file server for the built site on 127.0.0.1 (a secure context, so WebGPU is allowed).
// Logs every request with its size, raw and gzipped, so tests and benchmarks can check what the page
// asks for and how many bytes it fetched before a given moment.
//
// The page itself asks only for content-hashed names (tests/trunk-hash.mjs). Tests and benchmarks
// that import a module of the built page by its source name ('./pkg/flow-web-engine.js') are served
// the hashed file that dist/manifest.json maps it to. `cache`: send the headers a host would (the
// hashed files immutable for a year, index.html always revalidated). `base`: serve under a sub-path.

import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export async function serve(root, port = 0, { cache = false, base = '/' } = {}) {
  const requests = [];
  let manifest = {};
  const readManifest = async () => {
    manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8').catch(() => '{}'));
  };
  await readManifest();
  const log = []; // { url, at (ms since the server started), bytes, gzipped }
  const started = performance.now();
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(base)) {
      res.writeHead(404).end('not found');
      return;
    }
    let path = full.slice(base.length - 1);
    if (manifest[path.slice(1)]) path = `/${manifest[path.slice(1)]}`;
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }).length);
      log.push({ url: req.url, at: performance.now() - started, bytes: body.length, gzipped: gzipped.get(file) });
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream' };
      if (cache) headers['cache-control'] = extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}${base}`,
    // After the files under root were replaced by another build.
    reload: readManifest,
    requests,
    log,
    now: () => performance.now() - started,
    close: () => new Promise((r) => server.close(r)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] || 'dist';
  const port = Number(process.argv[3] || 8080);
  const { url } = await serve(root, port);
  console.log(`serving ${root} at ${url}`);
}
