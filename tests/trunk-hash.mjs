// Trunk's post-build hook: gives every file the page loads a name with its content's hash, so that a
// browser that cached an earlier build can never run it mixed with this one. Trunk hashes the CSS
// itself but copies our ES modules and the two wasm-bindgen outputs as they are, and it rewrites no
// imports. This walks the import graph from the leaves up (wasm first, then each module once the
// modules it imports have their final names), rewrites every relative specifier — `from '…'`,
// `import '…'`, `new URL('…', import.meta.url)` — and renames `x.js` to `x-<hash>.js`. index.html,
// the one file that keeps its name, is rewritten last; `manifest.json` maps each original path to
// its hashed one (for the tests and the benchmark, which import modules of the built page).
//
// Usage: node tests/trunk-hash.mjs [dir]   (default: $TRUNK_STAGING_DIR, where Trunk runs the hook)

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, posix, relative, sep } from 'node:path';

const root = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!root) throw new Error('trunk-hash: no directory (run as a Trunk hook, or pass one)');

// A relative specifier ('./x.js', '../pkg/y.js'), or a bare file name as wasm-bindgen writes its wasm's URL.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+|[\w-][\w.-]*\.(?:js|wasm))\2/g;
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const toPosix = (p) => p.split(sep).join('/');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [toPosix(relative(root, path))];
  });
}

const all = files(root);
const renamed = new Map(); // original path (relative to root) → hashed path

function hashedName(path, bytes) {
  const ext = path.endsWith('_bg.wasm') ? '_bg.wasm' : extname(path);
  return `${path.slice(0, -ext.length)}-${hashOf(bytes)}${ext}`;
}

// The wasm modules first: nothing they contain names another file.
for (const path of all.filter((p) => p.endsWith('.wasm'))) {
  renamed.set(path, hashedName(path, readFileSync(join(root, path))));
}

/** The relative specifiers of a module, resolved to paths under root. */
function imports(path, text) {
  return [...text.matchAll(SPECIFIER)].map((m) => posix.normalize(posix.join(posix.dirname(path), m[3].split(/[?#]/)[0])));
}

const modules = new Map(all.filter((p) => p.endsWith('.js')).map((p) => [p, readFileSync(join(root, p), 'utf8')]));
const visiting = new Set();

function settle(path) {
  if (renamed.has(path)) return;
  if (visiting.has(path)) throw new Error(`trunk-hash: an import cycle through ${path}`);
  visiting.add(path);
  const text = modules.get(path);
  for (const dep of imports(path, text)) {
    if (modules.has(dep)) settle(dep);
    else if (!renamed.has(dep) && !all.includes(dep)) throw new Error(`trunk-hash: ${path} imports ${dep}, which the build does not have`);
  }
  const rewritten = text.replace(SPECIFIER, (whole, head, quote, spec) => {
    const [bare, tail = ''] = spec.split(/(?=[?#])/);
    const target = renamed.get(posix.normalize(posix.join(posix.dirname(path), bare)));
    if (!target) return whole;
    // Written as the specifier was: './x.js' stays explicit, a bare 'x_bg.wasm' stays bare.
    const relativeTarget = posix.relative(posix.dirname(path), target);
    const explicit = spec.startsWith('.') && !relativeTarget.startsWith('.');
    return `${head}${quote}${explicit ? './' : ''}${relativeTarget}${tail}${quote}`;
  });
  modules.set(path, rewritten);
  renamed.set(path, hashedName(path, rewritten));
  visiting.delete(path);
}

for (const path of modules.keys()) settle(path);

// Write each module under its hashed name and the wasm likewise; the unhashed originals are not served.
for (const [from, to] of renamed) {
  if (modules.has(from)) {
    writeFileSync(join(root, to), modules.get(from));
    rmSync(join(root, from));
  } else renameSync(join(root, from), join(root, to));
}

// `trunk serve` injects its live-reload script inline, which the page's strict CSP refuses: move it
// to a file of its own (Trunk fills in the address only in HTML, so it is filled in here).
const htmlPath = join(root, 'index.html');
let page = readFileSync(htmlPath, 'utf8');
page = page.replace(/<script>((?:(?!<\/script>)[\s\S])*\.well-known\/trunk\/ws(?:(?!<\/script>)[\s\S])*)<\/script>/, (whole, code) => {
  const body = code.replace(/(['`])\{\{__TRUNK_ADDRESS__\}\}\1/g, 'window.location.host').replace(/\{\{__TRUNK_WS_BASE__\}\}/g, '/');
  const name = hashedName('live-reload.js', body);
  writeFileSync(join(root, name), body);
  return `<script src="./${name}"></script>`;
});

// index.html keeps its name (a host serves it without long caching); everything it names is hashed.
const html = page.replace(/\b(src|href)=(["'])(?!https?:|data:|#|\/\/)([^"']+)\2/g, (whole, attr, quote, url) => {
  const clean = posix.normalize(url.replace(/^\.\//, ''));
  return renamed.has(clean) ? `${attr}=${quote}./${renamed.get(clean)}${quote}` : whole;
});
writeFileSync(htmlPath, html);
writeFileSync(join(root, 'manifest.json'), `${JSON.stringify(Object.fromEntries(renamed), null, 1)}\n`);
console.log(`[trunk-hash] ${renamed.size} files hashed in ${dirname(htmlPath)}`);
