/**
 * The author-facing API reference, docs/plugin-api.md, stays in step with the code that
 * implements the plugin API: every capability, slot type, launcher value, error code and
 * lifecycle state the host accepts is documented there; every "see docs/plugin-api.md §N" a
 * message cites names a section that exists, and the SDK's TSDoc cites the reference, never the
 * contract file authors do not have; and the author docs link only to files that ship
 * with the repository (never to a contract file beside the checkout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIFECYCLE_STATES } from '../../main/host/lifecycle.ts';
import { SLOT_TYPES, STATIC_CAPABILITIES, ENTITY_TYPES } from '../../sdk/protocol/capabilities.ts';
import { ERROR_CODES } from '../../sdk/protocol/errors.ts';
import { LAUNCHER_ACTIONS, RENDER_BOUNDS, RENDER_ENVIRONMENTS } from '../../sdk/protocol/manifest.ts';
import { PLUGIN_HOOKS } from '../../sdk/worker/types.ts';
import ts from 'typescript';
import { workerTypesInterface } from '../support/sdk-worker-types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'plugin-api.md'), 'utf8');

/** Numbers of the `## N. Title` sections of the reference. */
const sections = new Set([...DOC.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));

test('the reference documents every value the host accepts', () => {
  const lists: Record<string, readonly string[]> = {
    capability: STATIC_CAPABILITIES, 'slot type': SLOT_TYPES, 'entity type': ENTITY_TYPES,
    'launcher action': LAUNCHER_ACTIONS, 'render environment': RENDER_ENVIRONMENTS, 'render bounds': RENDER_BOUNDS,
    'error code': ERROR_CODES, 'lifecycle state': LIFECYCLE_STATES,
  };
  const missing = Object.entries(lists).flatMap(([kind, values]) =>
    values.filter((value) => !new RegExp(`(\`|\\b)${value.replace(/[.]/g, '\\.')}(\`|\\b|\\|)`).test(DOC)).map((v) => `${kind} ${v}`));
  assert.deepEqual(missing, []);
  assert.deepEqual([...sections].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

/** The member names of the `PluginContext` interface, read from the SDK's source. */
function contextMembers(): string[] {
  return workerTypesInterface('PluginContext').members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
}

test('the reference documents every member of ctx and every plugin hook the SDK types declare', () => {
  const members = contextMembers();
  assert.ok(members.includes('files') && members.includes('permissions'), members.join(', '));
  assert.deepEqual(members.filter((name) => !DOC.includes(`\`ctx.${name}`)), [], 'ctx members missing from docs/plugin-api.md §5');
  assert.deepEqual(PLUGIN_HOOKS.filter((hook) => !new RegExp(`\\b${hook}\\(`).test(DOC)), [], 'hooks missing from the §5 example');
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js)$/.test(name) ? [full] : [];
  });
}

test('every "see docs/plugin-api.md §N" in a message names a section of the reference, and no message (nor any SDK comment) cites CONTRACT', () => {
  const cited: string[] = [];
  const stale: string[] = [];
  for (const file of ['main', 'sdk', 'preload', 'renderer'].flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/docs\/plugin-api\.md §(\d+)/g)) {
      if (!sections.has(Number(m[1]))) cited.push(`${path.relative(ROOT, file)}: §${m[1]}`);
    }
    // A message is a string literal in code; comments may name the contract's sections.
    const code = text.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).map((line) => line.replace(/\s\/\/ .*$/, '')).join('\n');
    for (const m of code.matchAll(/['"`][^'"`\n]*CONTRACT §\d[^'"`\n]*['"`]/g)) stale.push(`${path.relative(ROOT, file)}: ${m[0]}`);
    // The SDK's comments ship to authors as TSDoc in the packed .d.ts, where only the reference exists.
    if (file.startsWith(path.join(ROOT, 'sdk') + path.sep)) {
      for (const m of text.matchAll(/.*CONTRACT §\d.*/g)) stale.push(`${path.relative(ROOT, file)}: ${m[0].trim()}`);
    }
  }
  assert.deepEqual(cited, []);
  assert.deepEqual(stale, []);
});

test('README, sdk/README and sdk/testing/README link only to files in the repository', () => {
  const broken: string[] = [];
  for (const doc of ['README.md', 'sdk/README.md', 'sdk/testing/README.md', 'docs/plugin-api.md']) {
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/.test(target)) continue; // https: and the like
      const resolved = path.resolve(ROOT, path.dirname(doc), target);
      if (!resolved.startsWith(ROOT + path.sep) || !existsSync(resolved)) broken.push(`${doc}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
