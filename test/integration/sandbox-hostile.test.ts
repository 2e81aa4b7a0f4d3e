/**
 * The hostile worker corpus: a plugin that tries every way out of the sandbox we could think
 * of (globals, module paths, prototype poisoning, constructor chains, eval, import.meta,
 * symlinks, timers, tampering with the runtime's frozen objects). Each attempt runs in a real
 * sandboxed worker process and must be refused with a message that names what to use instead.
 * The same folder run unsandboxed (the control) escapes through most of them, so these tests
 * fail without the sandbox.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTempDir } from '../support/plugin-folders.ts';
import { startFixture } from './worker-harness.ts';

/** A host module outside the plugin folder, which an escaped plugin could load to reach the host's internals. */
const HOST_MODULE = fileURLToPath(new URL('../../sdk/worker/serve.ts', import.meta.url));

/**
 * Each probe is the body of an async function; it returns what it reached (an escape) or
 * throws (a refusal). The worker answers `{ ok, value?, message? }` per probe.
 */
const PROBES: Record<string, string> = {
  'process global': 'return process.env;',
  'globalThis.process': 'if (globalThis.process === undefined) throw new Error("no process on globalThis"); return Object.keys(globalThis.process.env);',
  'process.binding': 'return typeof process.binding("fs");',
  'require': 'return typeof require("node:fs");',
  'Buffer': 'return Buffer.from("x").length;',
  'global fetch': 'return typeof (await fetch("http://127.0.0.1:9/"));',
  'WebSocket': 'return typeof new WebSocket("ws://127.0.0.1:9/");',
  'import node:fs': 'const fs = await import("node:fs"); return fs.readdirSync("/").length;',
  'import fs (bare)': 'const fs = await import("fs"); return fs.readdirSync("/").length;',
  'import child_process': 'const cp = await import("node:child_process"); return cp.execSync("id").toString();',
  'import worker_threads': 'const w = await import("node:worker_threads"); return typeof w.Worker;',
  'import.meta.resolve of a builtin': 'return import.meta.resolve("node:fs");',
  'import a file outside the folder': 'return Object.keys(await import("../outside.js"));',
  'import a host module by absolute path': `return Object.keys(await import(${JSON.stringify(HOST_MODULE)}));`,
  'import through a symlink out of the folder': 'return Object.keys(await import("./linked/outside.js"));',
  'import a data: URL': 'return (await import("data:text/javascript,export default 42")).default;',
  'import CommonJS (its wrapper has require)': 'return (await import("./cjs-escape.cjs")).default;',
  'constructor.constructor': 'return (() => 0).constructor.constructor("return process")();',
  'async constructor chain': 'return (async () => 0).constructor("return process")();',
  'Function from the global': 'const p = Function("return process")(); if (p === undefined) throw new Error("Function code sees no process"); return Object.keys(p.env);',
  'indirect eval': 'const p = (0, eval)("process"); if (p === undefined) throw new Error("eval code sees no process"); return Object.keys(p.env);',
  'direct eval': 'const r = eval("typeof require === \'function\' ? require : undefined"); if (r === undefined) throw new Error("eval code sees no require"); return typeof r("node:fs");',
  'prototype poisoning Object.prototype': 'Object.prototype.polluted = 1; return ({}).polluted;',
  'prototype poisoning Array.prototype.push': 'Array.prototype.push = () => 0; return [].push(1);',
  'prototype poisoning Promise.prototype.then': 'Promise.prototype.then = function () {}; return "replaced";',
  'replacing JSON.stringify': 'JSON.stringify = () => "{}"; return "replaced";',
  'tampering with ctx.logger': 'ctx.logger.info = () => undefined; return "replaced";',
  'tampering with ctx.state': 'ctx.state.get = async () => "forged"; return "replaced";',
  'tampering with the SDK\'s PlinthError': 'const { PlinthError } = await import("@plinth/sdk"); PlinthError.prototype.toJSON = () => ({}); return "replaced";',
  'tampering with the runtime handshake': 'const rt = globalThis[Symbol.for("plinth.worker.runtime")]; rt.register = () => 0; return "replaced";',
  'replacing global setTimeout': 'globalThis.setTimeout = () => 0; return "replaced";',
  'replacing global console': 'globalThis.console = {}; return "replaced";',
  'timer receiver (Node passes its Timeout as this)': 'const self = await new Promise((resolve) => setTimeout(function () { resolve(this); }, 1)); if (self === undefined) throw new Error("the timer callback got no receiver"); return Object.keys(self);',
  'timer handle internals (_idleNext links every timer)': 'const t = setTimeout(() => 0, 1000); clearTimeout(t); if (t._idleNext === undefined && t._onTimeout === undefined) throw new Error("the timer handle has no internals"); return "reached";',
  'timer with a string of code': 'setTimeout("globalThis.escaped = 1", 1); return "scheduled";',
  'stack trace call sites': `
    const prepare = Error.prepareStackTrace;
    Error.prepareStackTrace = (_e, sites) => sites;
    let sites;
    try { sites = new Error().stack; } finally { Error.prepareStackTrace = prepare; }
    if (!Array.isArray(sites)) throw new Error("no call sites");
    const reached = sites.map((s) => s.getThis?.() ?? s.getFunction?.()).filter((v) => v && v !== globalThis && typeof v !== 'string');
    const leaky = reached.filter((v) => 'process' in Object(v) || 'require' in Object(v));
    if (leaky.length === 0) throw new Error("no call site reaches process or require");
    return leaky.length;`,
};

/** What each refusal must say, beyond being a refusal. */
const EXPECTED: Record<string, RegExp> = {
  'process global': /process is not available to sandboxed plugins: use ctx\.pluginId, ctx\.config\.get\(\) and ctx\.dataDir, or declare system\.unsandboxed/,
  'globalThis.process': /no process on globalThis/,
  'process.binding': /process is not available to sandboxed plugins/,
  'require': /require is not available to sandboxed plugins: use import/,
  'Buffer': /Buffer is not available to sandboxed plugins: use Uint8Array/,
  'global fetch': /fetch is not available to sandboxed plugins: use ctx\.http\.fetch/,
  'WebSocket': /WebSocket is not available to sandboxed plugins/,
  'import node:fs': /`node:fs` is not available to sandboxed plugins: use ctx\.dataDir through ctx\.files, or declare system\.unsandboxed/,
  'import fs (bare)': /`node:fs` is not available to sandboxed plugins/,
  'import child_process': /`node:child_process` is not available to sandboxed plugins: .*system\.unsandboxed/,
  'import worker_threads': /`node:worker_threads` is not available/,
  'import.meta.resolve of a builtin': /`node:fs` is not available/,
  'import a file outside the folder': /outside the plugin folder/,
  'import a host module by absolute path': /outside the plugin folder/,
  'import through a symlink out of the folder': /outside the plugin folder \(after symlinks\)/,
  'import a data: URL': /resolves to a data: URL, outside the plugin folder/,
  'import CommonJS (its wrapper has require)': /is a CommonJS module; sandboxed plugins load only ES modules and JSON/,
  'constructor.constructor': /not a valid constructor/,
  'async constructor chain': /not a valid constructor/,
  'Function from the global': /Function code sees no process/,
  'indirect eval': /eval code sees no process/,
  'direct eval': /eval code sees no require/,
  'prototype poisoning Object.prototype': /not extensible/,
  'prototype poisoning Array.prototype.push': /read.only/,
  'prototype poisoning Promise.prototype.then': /read.only/,
  'replacing JSON.stringify': /read.only/,
  'tampering with ctx.logger': /read.only/,
  'tampering with ctx.state': /read.only/,
  'tampering with the SDK\'s PlinthError': /not extensible/,
  'tampering with the runtime handshake': /read.only/,
  'replacing global setTimeout': /read.only/,
  'replacing global console': /read.only/,
  'timer receiver (Node passes its Timeout as this)': /the timer callback got no receiver/,
  'timer handle internals (_idleNext links every timer)': /the timer handle has no internals/,
  'timer with a string of code': /strings of code are not evaluated in the sandbox/,
  'stack trace call sites': /read only property 'prepareStackTrace'|no call site reaches process or require/,
};

/** Writes the hostile plugin, a file beside its folder, a symlink out of it, and a CommonJS file in it. */
function hostileFolder(root: string): string {
  const dir = join(root, 'hostile');
  mkdirSync(dir);
  writeFileSync(join(root, 'outside.js'), 'export const secret = "outside the folder";\n');
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(root, 'elsewhere', 'outside.js'), 'export const secret = "through a symlink";\n');
  symlinkSync(join(root, 'elsewhere'), join(dir, 'linked'));
  writeFileSync(join(dir, 'cjs-escape.cjs'), 'module.exports = typeof require("node:fs").readdirSync;\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hostile', version: '1.0.0', type: 'module' }));
  const probes = Object.entries(PROBES).map(([name, body]) => `  ${JSON.stringify(name)}: async (ctx) => { ${body} },`).join('\n');
  writeFileSync(join(dir, 'worker.js'), `import { definePlugin } from '@plinth/sdk';
const PROBES = {
${probes}
};
export default definePlugin({
  setup(ctx) {
    // A refusal is not caught here: it reaches the host as the handler's error, as a plugin author sees it.
    ctx.data.register('probe', async (name) => JSON.parse(JSON.stringify((await PROBES[name](ctx)) ?? null)));
  },
});
`);
  return dir;
}

interface ProbeResult { ok: boolean; value?: unknown; message?: string }

/** Runs one probe: what it reached, or the message of its refusal. */
async function probe(handle: { call(method: 'data.get', key: string, params: string): Promise<unknown> }, name: string): Promise<ProbeResult> {
  try {
    return { ok: true, value: await handle.call('data.get', 'probe', name) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

test('a sandboxed worker is refused every escape in the corpus, each with its message', async (t) => {
  const dir = hostileFolder(createTempDir(t));
  const { handle } = await startFixture(t, 'hostile', { entry: join(dir, 'worker.js'), sandboxRoot: dir, capabilities: [] });
  await handle.start();
  const escaped: string[] = [];
  for (const name of Object.keys(PROBES)) {
    const result = await probe(handle, name);
    if (result.ok) {
      escaped.push(`${name} → ${JSON.stringify(result.value)}`);
      continue;
    }
    assert.match(result.message ?? '', EXPECTED[name]!, `${name}: ${result.message}`);
  }
  assert.deepEqual(escaped, [], 'no probe may reach anything');
  // The worker is still healthy after the whole corpus: the refusals broke nothing of the runtime.
  assert.equal(typeof (await handle.call('ping')), 'number');
});

test('the allowlisted Web APIs work inside the sandbox, Web Crypto included', async (t) => {
  const dir = join(createTempDir(t), 'web-apis');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'web-apis', version: '1.0.0', type: 'module' }));
  writeFileSync(join(dir, 'worker.js'), `import { definePlugin } from '@plinth/sdk';
export default definePlugin({
  setup(ctx) {
    ctx.data.register('apis', async () => {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const before = globalThis.crypto;
      try { globalThis.crypto = null; } catch { /* a frozen global refuses */ }
      return {
        uuid: /^[0-9a-f-]{36}$/.test(crypto.randomUUID()), random: crypto.getRandomValues(new Uint8Array(4)).length,
        sameCrypto: globalThis.crypto === before, configurable: Object.getOwnPropertyDescriptor(globalThis, 'crypto').configurable,
        sha256: hex, clone: structuredClone({ a: [1] }).a[0], url: new URL('https://example.com/a?b=1').searchParams.get('b'),
        base64: atob(btoa('hi')), aborted: (() => { const c = new AbortController(); c.abort(); return c.signal.aborted; })(),
      };
    });
  },
});
`);
  const { handle } = await startFixture(t, 'web-apis', { entry: join(dir, 'worker.js'), sandboxRoot: dir, capabilities: [] });
  await handle.start();
  assert.deepEqual(await handle.call('data.get', 'apis', null), {
    uuid: true, random: 4, sameCrypto: true, configurable: false,
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', clone: 1, url: '1', base64: 'hi', aborted: true,
  });
});

test('control: the same folder run unsandboxed escapes, so the corpus can fail', async (t) => {
  const dir = hostileFolder(createTempDir(t));
  const { handle } = await startFixture(t, 'hostile', { entry: join(dir, 'worker.js'), sandboxRoot: null, capabilities: [] });
  await handle.start();
  const escapes = ['process global', 'globalThis.process', 'Buffer', 'import node:fs', 'import child_process', 'import a file outside the folder',
    'import a host module by absolute path', 'import through a symlink out of the folder', 'import CommonJS (its wrapper has require)',
    'Function from the global', 'indirect eval', 'prototype poisoning Object.prototype', 'timer receiver (Node passes its Timeout as this)',
    'timer handle internals (_idleNext links every timer)', 'tampering with the SDK\'s PlinthError'];
  for (const name of escapes) {
    const result = await probe(handle, name);
    assert.equal(result.ok, true, `${name} escapes without the sandbox: ${result.message}`);
  }
});
