import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { handleAppRequest, safeSegments } from '../../main/shell/app-protocol.ts';
import { createAppOrigins, pluginOriginKey } from '../../main/shell/plugin-origins.ts';
import { VALIDATOR_RUNTIME_MODULES } from '../../main/shell/config-validator.ts';
import type { PluginConfigView } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { JsonObject } from '../../sdk/protocol/json.ts';

const ORIGIN = 'plinth://app';
/** The frames' origin of the fixture plugin `@acme/hello`, and of another plugin. */
const HELLO = `plinth-plugin://${pluginOriginKey('@acme/hello')}`;
const OTHER = `plinth-plugin://${pluginOriginKey('@acme/other')}`;
/** The config schema of the fixture plugin: a required URL, a required secret, a bounded number. */
const CONFIG_SCHEMA: JsonObject = {
  type: 'object',
  required: ['apiUrl', 'token'],
  properties: {
    apiUrl: { type: 'string', format: 'uri', title: 'API URL' },
    token: { type: 'string', format: 'secret' },
    retries: { type: 'integer', minimum: 0, maximum: 5 },
  },
};

/** A built renderer folder, a plugin folder and a secret file beside them. */
function makeFixture(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(path.join(tmpdir(), 'plinth-proto-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const rendererDir = path.join(root, 'renderer');
  const pluginDir = path.join(root, 'plugin');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  mkdirSync(path.join(rendererDir, 'frame'), { recursive: true });
  mkdirSync(path.join(pluginDir, 'dist'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>main</title>');
  writeFileSync(path.join(rendererDir, 'settings.html'), '<!doctype html><title>settings</title>');
  writeFileSync(path.join(rendererDir, 'stray.html'), '<!doctype html><title>stray</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(path.join(rendererDir, 'assets', 'main.css'), 'body{}');
  writeFileSync(path.join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(path.join(rendererDir, 'assets', 'font.woff2'), 'x');
  writeFileSync(path.join(rendererDir, 'frame', 'react.js'), 'export default 1');
  writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  writeFileSync(path.join(pluginDir, 'dist', 'ui.js'), 'export const W = 1');
  writeFileSync(path.join(pluginDir, 'dist', 'page.html'), '<p>hi</p>');
  writeFileSync(path.join(pluginDir, 'data.json'), '{}');
  const calls: Array<[string, string]> = [];
  const host = {
    async resolvePluginAsset(pluginId: string, relativePath: string) {
      calls.push([pluginId, relativePath]);
      if (pluginId !== '@acme/hello') return null;
      const full = path.resolve(pluginDir, relativePath);
      return full.startsWith(pluginDir + path.sep) ? full : null;
    },
    config: {
      view(pluginId: string): PluginConfigView {
        if (pluginId === '@acme/hello') return { schema: CONFIG_SCHEMA, values: {}, secrets: [{ path: 'token', set: false }], errors: [] };
        if (pluginId === 'plain') return { schema: null, values: {}, secrets: [], errors: [] };
        throw new PlinthError('NOT_FOUND', `No plugin ${pluginId}`);
      },
    },
  };
  const origins = createAppOrigins(ORIGIN, 'plinth-plugin://{key}', () => ['@acme/hello', '@acme/other', 'plain']);
  return { rendererDir, host, calls, origins };
}

test('shell documents are served with the strict CSP and nosniff', async (t) => {
  const deps = makeFixture(t);
  for (const p of ['/', '/index.html', '/settings.html']) {
    const res = await handleAppRequest({ url: `${ORIGIN}${p}`, method: 'GET' }, deps);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['X-Content-Type-Options'], 'nosniff');
    const csp = res.headers['Content-Security-Policy'] ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
  }
  const index = await handleAppRequest({ url: `${ORIGIN}/index.html`, method: 'GET' }, deps);
  assert.match(String(index.body), /<title>main<\/title>/);
});

test('other HTML in the build is not served as a page', async (t) => {
  const deps = makeFixture(t);
  const res = await handleAppRequest({ url: `${ORIGIN}/stray.html`, method: 'GET' }, deps);
  assert.equal(res.status, 404);
});

test('built assets get their MIME types', async (t) => {
  const deps = makeFixture(t);
  const expect: Record<string, string> = {
    '/assets/main.js': 'text/javascript; charset=utf-8',
    '/assets/main.css': 'text/css; charset=utf-8',
    '/assets/logo.svg': 'image/svg+xml',
    '/assets/font.woff2': 'font/woff2',
  };
  for (const [p, type] of Object.entries(expect)) {
    const res = await handleAppRequest({ url: `${ORIGIN}${p}`, method: 'GET' }, deps);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['Content-Type'], type, p);
    assert.equal(res.headers['X-Content-Type-Options'], 'nosniff');
  }
});

test('frame modules are CORS-open for opaque-origin frames', async (t) => {
  const deps = makeFixture(t);
  const res = await handleAppRequest({ url: `${HELLO}/frame/react.js`, method: 'GET' }, deps);
  assert.equal(res.status, 200);
  assert.equal(res.headers['Access-Control-Allow-Origin'], '*');
  assert.equal(res.headers['Content-Type'], 'text/javascript; charset=utf-8');
  const shellAsset = await handleAppRequest({ url: `${ORIGIN}/assets/main.js`, method: 'GET' }, deps);
  assert.equal(shellAsset.headers['Access-Control-Allow-Origin'], undefined);
});

test('the frame document has a fresh nonce, no network and an import map', async (t) => {
  const deps = makeFixture(t);
  const a = await handleAppRequest({ url: `${HELLO}/frame.html`, method: 'GET' }, deps);
  const b = await handleAppRequest({ url: `${HELLO}/frame.html`, method: 'GET' }, deps);
  assert.equal(a.status, 200);
  const csp = a.headers['Content-Security-Policy'] ?? '';
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors plinth:\/\/app/);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, 'CSP carries a nonce');
  assert.ok(csp.includes(`script-src ${HELLO} 'nonce-${nonce}'`), 'scripts only from the plugin\'s own origin');
  assert.equal(csp.split('plinth://app').length, 2, 'the app origin appears once: as the only embedder (frame-ancestors)');
  assert.notEqual(csp, b.headers['Content-Security-Policy'], 'nonce differs per response');
  const html = String(a.body);
  assert.ok(html.includes(`<script type="importmap" nonce="${nonce}">`));
  const map = JSON.parse(/<script type="importmap"[^>]*>(.*?)<\/script>/s.exec(html)?.[1] ?? '{}') as { imports: Record<string, string> };
  for (const spec of ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client', '@plinth/sdk/ui']) {
    assert.match(map.imports[spec] ?? '', /^\/frame\/.+\.js$/, spec);
  }
});

test('the frame CSP names the harness\'s plugin origin when served over http', async (t) => {
  const deps = makeFixture(t);
  const key = pluginOriginKey('@acme/hello');
  const origins = createAppOrigins('http://127.0.0.1:4321', 'http://{key}.test:4321', () => ['@acme/hello']);
  const res = await handleAppRequest({ url: `http://${key}.test:4321/frame.html`, method: 'GET' }, { ...deps, origins });
  const csp = res.headers['Content-Security-Policy'] ?? '';
  assert.ok(csp.includes(`script-src http://${key}.test:4321 'nonce-`), csp);
  assert.ok(csp.endsWith('frame-ancestors http://127.0.0.1:4321'), csp);
});

test('frames are not served on the app origin, nor anything on an origin that is no plugin\'s', async (t) => {
  const deps = makeFixture(t);
  const stranger = `plinth-plugin://${pluginOriginKey('not-installed')}`;
  for (const url of [`${ORIGIN}/frame.html`, `${ORIGIN}/frame/react.js`, `${stranger}/frame.html`, `${stranger}/plugins/%40acme%2Fhello/dist/ui.js`, 'plinth-plugin://app/frame.html', `${HELLO}/index.html`, `${HELLO}/assets/main.js`]) {
    assert.equal((await handleAppRequest({ url, method: 'GET' }, deps)).status, 404, url);
  }
});

test('a plugin\'s origin serves its own files only, never another plugin\'s', async (t) => {
  const deps = makeFixture(t);
  assert.equal((await handleAppRequest({ url: `${HELLO}/plugins/%40acme%2Fhello/dist/ui.js`, method: 'GET' }, deps)).status, 200);
  const before = deps.calls.length;
  assert.equal((await handleAppRequest({ url: `${OTHER}/plugins/%40acme%2Fhello/dist/ui.js`, method: 'GET' }, deps)).status, 404);
  assert.equal(deps.calls.length, before, 'the other plugin\'s origin does not even look the file up');
});

test('plugin files are served through resolvePluginAsset with the decoded id', async (t) => {
  const deps = makeFixture(t);
  const res = await handleAppRequest({ url: `${HELLO}/plugins/${encodeURIComponent('@acme/hello')}/dist/ui.js`, method: 'GET' }, deps);
  assert.equal(res.status, 200);
  assert.equal(String(res.body), 'export const W = 1');
  assert.equal(res.headers['Content-Type'], 'text/javascript; charset=utf-8');
  assert.equal(res.headers['Access-Control-Allow-Origin'], '*');
  assert.deepEqual(deps.calls.at(-1), ['@acme/hello', 'dist/ui.js']);
  const json = await handleAppRequest({ url: `${HELLO}/plugins/%40acme%2Fhello/data.json`, method: 'GET' }, deps);
  assert.equal(json.headers['Content-Type'], 'application/json; charset=utf-8');
});

test('every plugin file (an HTML page or any other a frame could navigate to) keeps the sandbox and no network', async (t) => {
  const deps = makeFixture(t);
  for (const file of ['dist/page.html', 'dist/ui.js', 'data.json']) {
    const res = await handleAppRequest({ url: `${HELLO}/plugins/%40acme%2Fhello/${file}`, method: 'GET' }, deps);
    assert.equal(res.status, 200);
    const csp = res.headers['Content-Security-Policy'] ?? '';
    assert.match(csp, /connect-src 'none'/, file);
    assert.match(csp, /sandbox allow-scripts$/, file);
  }
});

test('unknown plugins, missing files and paths outside the plugin folder give 404', async (t) => {
  const deps = makeFixture(t);
  const urls = [
    `${HELLO}/plugins/%40acme%2Fother/dist/ui.js`,
    `${HELLO}/plugins/%40acme%2Fhello/dist/missing.js`,
    `${HELLO}/plugins/%40acme%2Fhello/dist`,
    `${HELLO}/plugins/%40acme%2Fhello/`,
    `${HELLO}/plugins/`,
    `${HELLO}/plugins/%40acme%2Fhello/..%2F..%2Fsecret.txt`,
    `${HELLO}/plugins/%40acme%2Fhello/dist/..%5C..%5Csecret.txt`,
  ];
  for (const url of urls) {
    const res = await handleAppRequest({ url, method: 'GET' }, deps);
    assert.equal(res.status, 404, url);
    assert.ok(!String(res.body).includes('SECRET'), url);
  }
});

test('traversal out of the renderer folder is refused, also when encoded or via symlink', async (t) => {
  const deps = makeFixture(t);
  const urls = [
    `${ORIGIN}/../secret.txt`,
    `${ORIGIN}/%2e%2e/secret.txt`,
    `${ORIGIN}/assets/%2E%2E/%2E%2E/secret.txt`,
    `${ORIGIN}/assets/..%2F..%2Fsecret.txt`,
    `${ORIGIN}/assets/%2e%2e%5csecret.txt`,
    `${ORIGIN}/assets/link.txt`,
    `${ORIGIN}/assets/%00main.js`,
    `${ORIGIN}/assets/%E0%A4%A`,
    `${ORIGIN}/assets`,
    `${ORIGIN}/nope.js`,
  ];
  for (const url of urls) {
    const res = await handleAppRequest({ url, method: 'GET' }, deps);
    assert.equal(res.status, 404, url);
    assert.ok(!String(res.body).includes('SECRET'), url);
  }
});

test('safeSegments rejects dot segments and encoded separators', () => {
  assert.deepEqual(safeSegments('/a/b%20c/d.js'), ['a', 'b c', 'd.js']);
  assert.equal(safeSegments('/a/%2e%2e/b'), null);
  assert.equal(safeSegments('/a/.'), null);
  assert.equal(safeSegments('/a%2fb'), null);
  assert.equal(safeSegments('/a\\b'), null);
  assert.equal(safeSegments('/%ZZ'), null);
});

test('only GET and HEAD are allowed; HEAD has no body', async (t) => {
  const deps = makeFixture(t);
  const post = await handleAppRequest({ url: `${ORIGIN}/index.html`, method: 'POST' }, deps);
  assert.equal(post.status, 405);
  assert.equal(post.headers.Allow, 'GET, HEAD');
  const head = await handleAppRequest({ url: `${ORIGIN}/assets/main.js`, method: 'HEAD' }, deps);
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['Content-Type'], 'text/javascript; charset=utf-8');
});

test('the config form validator is a module for the shell only, validating like the schema says', async (t) => {
  const deps = makeFixture(t);
  const res = await handleAppRequest({ url: `${ORIGIN}/config-validators/%40acme%2Fhello.js?h=1`, method: 'GET' }, deps);
  assert.equal(res.status, 200);
  assert.equal(res.headers['Content-Type'], 'text/javascript; charset=utf-8');
  // Plugin frames load modules as CORS requests from an opaque origin: without this header they cannot read it.
  assert.equal(res.headers['Access-Control-Allow-Origin'], undefined);

  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-validator-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'validator.mjs');
  writeFileSync(file, String(res.body));
  const module = (await import(pathToFileURL(file).href)) as { default: (require: (name: string) => unknown) => Record<string, never> };
  const requireRuntime = createRequire(import.meta.url);
  const asked: string[] = [];
  const fns = module.default((name) => {
    asked.push(name);
    assert.ok((VALIDATOR_RUNTIME_MODULES as readonly string[]).includes(name), `runtime module ${name} is one the renderer supplies`);
    return requireRuntime(name);
  });
  assert.ok(asked.length > 0, 'the uri format comes from the runtime');
  const validator = createPrecompiledValidator(fns, CONFIG_SCHEMA as RJSFSchema);
  const missing = validator.validateFormData({ retries: 9 }, CONFIG_SCHEMA as RJSFSchema);
  assert.deepEqual(missing.errors.map((e) => `${e.name} ${e.property}`).sort(), ['maximum .retries', 'required apiUrl', 'required token']);
  const badUrl = validator.validateFormData({ apiUrl: 'not a url', token: 'x' }, CONFIG_SCHEMA as RJSFSchema);
  assert.deepEqual(badUrl.errors.map((e) => `${e.name} ${e.property}`), ['format .apiUrl']);
  assert.deepEqual(validator.validateFormData({ apiUrl: 'https://api.example.com', token: 'any string' }, CONFIG_SCHEMA as RJSFSchema).errors, []);
});

test('config validators of unknown plugins and plugins without settings are 404', async (t) => {
  const deps = makeFixture(t);
  for (const url of [`${ORIGIN}/config-validators/nope.js`, `${ORIGIN}/config-validators/plain.js`, `${ORIGIN}/config-validators/%40acme%2Fhello`, `${ORIGIN}/config-validators/`]) {
    const res = await handleAppRequest({ url, method: 'GET' }, deps);
    assert.equal(res.status, 404, url);
  }
});

test('a tool form validator is served by qualified tool name, not CORS-open; unknown tools and hosts without services are 404', async (t) => {
  const schema = { type: 'object', properties: { title: { type: 'string', minLength: 1 } }, required: ['title'] };
  const deps = makeFixture(t);
  const withTools = {
    ...deps,
    host: { ...deps.host, services: { tools: { get: (name: string) => (name === 'acme__make' ? { tool: { parametersSchema: schema } } : undefined) } } },
  } as unknown as typeof deps;
  const res = await handleAppRequest({ url: `${ORIGIN}/tool-validators/acme__make.js?h=1`, method: 'GET' }, withTools);
  assert.equal(res.status, 200);
  assert.equal(res.headers['Access-Control-Allow-Origin'], undefined);
  assert.match(String(res.body), /minLength|ucs2length/);
  for (const [url, d] of [
    [`${ORIGIN}/tool-validators/acme__other.js`, withTools], [`${ORIGIN}/tool-validators/acme__make`, withTools],
    [`${ORIGIN}/tool-validators/%ZZ.js`, withTools], [`${ORIGIN}/tool-validators/acme__make.js`, deps],
  ] as const) {
    assert.equal((await handleAppRequest({ url, method: 'GET' }, d)).status, 404, url);
  }
});
