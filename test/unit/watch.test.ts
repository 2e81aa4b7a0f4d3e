import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPluginWatcher, WATCH_DEBOUNCE_MS, type PluginWatcher } from '../../main/host/watch/plugin-watcher.ts';

interface Change { dir: string; files: string[]; at: number }

/** A plugin folder in a temp dir (under a dot-folder, to prove only paths INSIDE the folder are filtered). */
function pluginFolder(t: { after(fn: () => void): void }, name = 'plugin'): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'plinth-watch-')));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const dir = join(base, '.authors', name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'dist', 'worker.js'), 'export default 1;');
  return dir;
}

/** A watcher whose changes can be awaited one by one. */
function recorder(t: { after(fn: () => Promise<void>): void }, debounceMs?: number) {
  const changes: Change[] = [];
  const waiters: Array<() => void> = [];
  const watcher: PluginWatcher = createPluginWatcher({
    onChange: (dir, files) => { changes.push({ dir, files, at: performance.now() }); waiters.shift()?.(); },
    ...(debounceMs !== undefined ? { debounceMs } : {}),
  });
  t.after(() => watcher.close());
  /** Resolves with the n-th change (1-based) once it has happened. */
  const nth = (n: number) => new Promise<Change>((resolve) => {
    const check = () => (changes.length >= n ? resolve(changes[n - 1]!) : waiters.push(check));
    check();
  });
  return { watcher, changes, nth };
}

test('an edit in a watched plugin folder is reported once, with the file, within 1 s', { timeout: 10_000 }, async (t) => {
  const dir = pluginFolder(t);
  const { watcher, changes, nth } = recorder(t);
  await watcher.watch(dir);
  assert.deepEqual(watcher.watched(), [dir]);

  const editedAt = performance.now();
  writeFileSync(join(dir, 'dist', 'worker.js'), 'export default 2;');
  const change = await nth(1);
  assert.deepEqual({ dir: change.dir, files: change.files }, { dir, files: ['dist/worker.js'] });
  assert.ok(change.at - editedAt >= WATCH_DEBOUNCE_MS - 5, 'debounced');
  assert.ok(change.at - editedAt < 1_000, `hot reload within 1 s (took ${Math.round(change.at - editedAt)} ms)`);

  // A later, separate edit proves no second callback came for the first one.
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
  assert.deepEqual((await nth(2)).files, ['package.json']);
  assert.equal(changes.length, 2);
});

test('a burst of 10 edits is one callback listing every changed file', { timeout: 10_000 }, async (t) => {
  const dir = pluginFolder(t);
  const { watcher, changes, nth } = recorder(t);
  await watcher.watch(dir);
  for (let i = 0; i < 10; i++) writeFileSync(join(dir, 'dist', `chunk-${i}.js`), `export const n = ${i};`);
  const burst = await nth(1);
  assert.deepEqual(burst.files, Array.from({ length: 10 }, (_, i) => `dist/chunk-${i}.js`).sort());

  writeFileSync(join(dir, 'README.md'), 'sentinel');
  assert.deepEqual((await nth(2)).files, ['README.md'], 'nothing of the burst arrived late as its own callback');
  assert.equal(changes.length, 2);
});

test('node_modules, .git and dotfiles inside the folder are ignored; removals are reported', { timeout: 10_000 }, async (t) => {
  const dir = pluginFolder(t);
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  const { watcher, nth } = recorder(t);
  await watcher.watch(dir);
  writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), '1');
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  unlinkSync(join(dir, 'dist', 'worker.js'));
  assert.deepEqual((await nth(1)).files, ['dist/worker.js']);
});

test('unwatch stops callbacks for that folder only', { timeout: 10_000 }, async (t) => {
  const a = pluginFolder(t, 'a');
  const b = pluginFolder(t, 'b');
  const { watcher, changes, nth } = recorder(t);
  await Promise.all([watcher.watch(a), watcher.watch(b)]);
  await watcher.watch(a); // watching twice is harmless
  await watcher.unwatch(a);
  assert.deepEqual(watcher.watched(), [b]);
  writeFileSync(join(a, 'package.json'), '{"edited":true}');
  writeFileSync(join(b, 'package.json'), '{"edited":true}');
  assert.equal((await nth(1)).dir, b);
  assert.deepEqual(changes.map((c) => c.dir), [b]);
});

test('unwatch drops a batch still waiting for its quiet time; close stops everything', { timeout: 10_000 }, async (t) => {
  const dir = pluginFolder(t);
  const other = pluginFolder(t, 'other');
  const changes: string[] = [];
  const seen = (label: string) => { let done!: () => void; const p = new Promise<void>((r) => { done = r; }); return { p, watcher: createPluginWatcher({ onChange: () => done(), debounceMs: label === 'fast' ? 0 : 500 }) }; };
  // chokidar shares one fs watch per path, so `fast` tells us the edit reached the watchers, and
  // `late` fires well after `slow` would have flushed had unwatch not dropped its pending batch.
  const fast = seen('fast');
  const late = seen('late');
  const slow = createPluginWatcher({ onChange: (d) => changes.push(d), debounceMs: 150, maxWaitMs: 150 });
  t.after(() => Promise.all([slow.close(), fast.watcher.close(), late.watcher.close()]).then(() => undefined));
  await Promise.all([slow.watch(dir), fast.watcher.watch(dir), late.watcher.watch(dir), slow.watch(other)]);
  writeFileSync(join(dir, 'package.json'), '{"edited":true}');
  await fast.p;
  await slow.unwatch(dir);
  await late.p;
  assert.deepEqual(changes, [], 'the pending batch was dropped, not flushed');
  await slow.close();
  assert.deepEqual(slow.watched(), []);
});
