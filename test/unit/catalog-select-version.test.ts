import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Packument, PackumentVersion } from '../../main/host/catalog/registry-client.ts';
import { fetchOptions, nerfDart, normaliseRegistryUrl, registryFor } from '../../main/host/catalog/registry-settings.ts';
import { enginesSatisfied, selectForInstall, selectUpdate } from '../../main/host/catalog/select-version.ts';

const HOST_API = '1.0.0';

function version(v: string, extra: Partial<PackumentVersion> = {}): PackumentVersion {
  return { name: 'p', version: v, engines: { plinth: '^1.0.0' }, dist: { tarball: `http://r/p-${v}.tgz`, integrity: 'sha512-x' }, ...extra };
}

function packument(versions: PackumentVersion[], latest: string): Packument {
  return { name: 'p', 'dist-tags': { latest }, versions: Object.fromEntries(versions.map((v) => [v.version, v])) };
}

test('install: no spec takes latest; a deprecated or unfit latest falls back to the highest fitting version', () => {
  assert.equal(selectForInstall(packument([version('1.0.0'), version('1.2.0')], '1.2.0'), undefined, HOST_API).version, '1.2.0');
  const yankedLatest = packument([version('1.0.0'), version('1.1.0'), version('1.2.0', { deprecated: 'broken' })], '1.2.0');
  assert.equal(selectForInstall(yankedLatest, undefined, HOST_API).version, '1.1.0');
  const needsNewerHost = packument([version('1.0.0'), version('2.0.0', { engines: { plinth: '^2.0.0' } })], '2.0.0');
  assert.equal(selectForInstall(needsNewerHost, undefined, HOST_API).version, '1.0.0');
  assert.equal(selectForInstall(yankedLatest, '^1.0.0', HOST_API).version, '1.1.0', 'a range never picks a yanked version');
  assert.equal(selectForInstall(yankedLatest, 'latest', HOST_API).version, '1.1.0');
});

test('install: an exact version must exist, not be yanked, and fit the host', () => {
  const p = packument([version('1.0.0'), version('1.1.0', { deprecated: 'security hole' }), version('2.0.0', { engines: { plinth: '^2.0.0' } })], '1.0.0');
  assert.throws(() => selectForInstall(p, '1.1.0', HOST_API), { code: 'CONFLICT', message: /deprecated by its publisher: security hole/ });
  assert.throws(() => selectForInstall(p, '2.0.0', HOST_API), { code: 'CONFLICT', message: /needs Plinth plugin API \^2\.0\.0, this Plinth has 1\.0\.0/ });
  assert.throws(() => selectForInstall(p, '3.0.0', HOST_API), { code: 'NOT_FOUND', message: /never published, or unpublished/ });
  assert.throws(() => selectForInstall(p, '^3', HOST_API), { code: 'NOT_FOUND', message: /No version of p fits "\^3"/ });
  assert.throws(() => selectForInstall(p, 'not a spec!', HOST_API), { code: 'NOT_FOUND', message: /neither a version, a range nor a tag/ });
});

test('update: the highest fitting version above the installed one, never past latest, never yanked or lower', () => {
  const p = packument([
    version('1.0.0'), version('1.1.0'), version('1.2.0', { deprecated: 'bad' }), version('1.3.0-beta.1'), version('1.4.0'),
  ], '1.1.0');
  assert.equal(selectUpdate(p, '1.0.0', HOST_API).next?.version, '1.1.0', 'latest caps the update');
  assert.equal(selectUpdate({ ...p, 'dist-tags': { latest: '1.4.0' } }, '1.0.0', HOST_API).next?.version, '1.4.0');
  assert.equal(selectUpdate({ ...p, 'dist-tags': { latest: '1.2.0' } }, '1.1.0', HOST_API).next, null, 'a yanked latest is no update');
  assert.equal(selectUpdate(p, '1.1.0', HOST_API).next, null);
  assert.equal(selectUpdate(p, '1.4.0', HOST_API).next, null, 'never a downgrade to latest');
  assert.equal(selectUpdate(p, '1.2.0', HOST_API).installedYanked, 'deprecated: bad');
  assert.equal(selectUpdate(p, '0.9.0', HOST_API).installedYanked, 'unpublished from the registry');
});

test('update: a newer version passed over is reported with the reason, never installed', () => {
  const deprecatedLatest = packument([version('1.0.0'), version('1.1.0'), version('1.2.0', { deprecated: 'broken build' })], '1.2.0');
  assert.deepEqual(selectUpdate(deprecatedLatest, '1.0.0', HOST_API), {
    next: deprecatedLatest.versions['1.1.0'], installedYanked: null, skipped: { version: '1.2.0', reason: 'deprecated by its publisher: broken build' },
  });
  assert.deepEqual(selectUpdate(deprecatedLatest, '1.1.0', HOST_API).skipped, { version: '1.2.0', reason: 'deprecated by its publisher: broken build' });
  const needsNewerHost = packument([version('1.0.0'), version('2.0.0', { engines: { plinth: '^2.0.0' } })], '2.0.0');
  assert.deepEqual(selectUpdate(needsNewerHost, '1.0.0', HOST_API).skipped, { version: '2.0.0', reason: 'needs Plinth plugin API ^2.0.0, this Plinth has 1.0.0' });
  const fine = packument([version('1.0.0'), version('1.1.0'), version('1.2.0-beta.1', { deprecated: 'beta' })], '1.1.0');
  assert.equal(selectUpdate(fine, '1.0.0', HOST_API).skipped, null, 'prereleases and the chosen version are not "skipped"');
  assert.equal(selectUpdate(deprecatedLatest, '1.2.0', HOST_API).skipped, null, 'nothing above the installed version');
});

test('engines.plinth must be a satisfied range', () => {
  assert.equal(enginesSatisfied(version('1.0.0'), HOST_API), true);
  assert.equal(enginesSatisfied(version('1.0.0', { engines: {} }), HOST_API), false);
  assert.equal(enginesSatisfied(version('1.0.0', { engines: { plinth: 'garbage' } }), HOST_API), false);
});

test('registry settings: URLs, scopes and npm nerf-dart token keys', async () => {
  assert.equal(normaliseRegistryUrl(' https://npm.acme.test/repo '), 'https://npm.acme.test/repo/');
  assert.throws(() => normaliseRegistryUrl('ftp://x'), { code: 'INVALID_INPUT', message: /https:\/\/ or http:\/\// });
  assert.throws(() => normaliseRegistryUrl('not a url'), { code: 'INVALID_INPUT' });
  const settings = { url: 'https://registry.npmjs.org', scopes: { '@acme': 'https://npm.acme.test/repo' } };
  assert.equal(registryFor(settings, '@acme/x'), 'https://npm.acme.test/repo/');
  assert.equal(registryFor(settings, '@other/x'), 'https://registry.npmjs.org/');
  assert.equal(registryFor(settings, 'plain'), 'https://registry.npmjs.org/');
  assert.equal(nerfDart('https://npm.acme.test/repo'), '//npm.acme.test/repo/');
  const opts = await fetchOptions(settings, { token: (url) => (url === 'https://npm.acme.test/repo/' ? 'T' : undefined), proxyFor: async () => null }, '@acme/x') as Record<string, unknown>;
  assert.equal(opts['//npm.acme.test/repo/:_authToken'], 'T');
  assert.equal(opts['@acme:registry'], 'https://npm.acme.test/repo/');
  assert.equal(opts['//registry.npmjs.org/:_authToken'], undefined, 'a token goes to its own registry only');
  assert.equal(opts.noProxy, 'npm.acme.test', 'a DIRECT proxy answer bypasses the environment proxy');
});
