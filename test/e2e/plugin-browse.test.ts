// Settings → Plugins → Browse against a real npm registry (Verdaccio on 127.0.0.1): search,
// what a plugin will be allowed to do, its README rendered safely (no HTML; remote images only
// when the user allows, and then only through the main process's image route), install with
// progress and the same consent as a file, an update indicator, an offline registry, the
// full-access warning of a system.unsandboxed plugin; screenshots in light and dark.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { UNSANDBOXED_WORDS } from '../../sdk/protocol/capabilities.ts';
import { startImageServer, testPng, type ImageServer } from '../support/image-server.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { deadPort, publishPlugin, startTestRegistry } from '../support/verdaccio/index.ts';
import { RENDERER_DIR, startHarness } from './harness/index.ts';

/** The page's globals these steps use (the test runs in Node, typed without the DOM). */
type PageGlobals = {
  plinth: { setPreferences(patch: object): Promise<unknown>; setRegistryPreferences(patch: object): Promise<unknown> }; pwned?: boolean; matchMedia(q: string): { matches: boolean };
  document: { querySelector(selector: string): { complete: boolean; naturalWidth: number } | null };
};

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');

/** The test README; its image is on the local https image server `imageOrigin`. */
const readmeWith = (imageOrigin: string) => [
  '# Kanban board',
  '',
  'Shows your tasks as **columns**. See [the docs](https://example.com/docs).',
  '',
  `![diagram](${imageOrigin}/pixel.png) ![broken](${imageOrigin}/not-an-image.png)`,
  '',
  '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">',
  '',
  '[bad link](javascript:window.pwned=true)',
].join('\n');

/** Resolves once the README's image has loaded and decoded (a real picture: natural width > 0). */
const IMAGE_LOADED = () => {
  const img = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="catalog-readme"] img.readme-image');
  return img !== null && img.complete && img.naturalWidth > 0;
};

/** The README's picture (with a cookie the proxy must not forward), and an HTML page posing as its second image. */
function imageAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/pixel.png') res.writeHead(200, { 'Content-Type': 'image/png', 'Set-Cookie': 'tracker=1; Path=/' }).end(testPng());
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<script>alert(1)</script>');
}

/** Every request the image server saw came without the app origin's cookies and without a referrer. */
function assertNothingForwarded(images: ImageServer): void {
  for (const seen of images.requests) {
    assert.ok(['/pixel.png', '/not-an-image.png'].includes(seen.url), seen.url);
    assert.equal(seen.headers.cookie, undefined, 'no cookie reaches the image server');
    assert.equal(seen.headers.referer, undefined, 'no referrer reaches the image server');
  }
}

type Registry = Awaited<ReturnType<typeof startTestRegistry>>;

/** A registry with the plugins `publish` puts there, a harness using it, and its settings window. */
async function browseSetup(t: Parameters<typeof startTestRegistry>[0], publish: (registry: Registry, work: string) => Promise<unknown>, images?: ImageServer) {
  const registry = await startTestRegistry(t);
  const work = createTempDir(t, 'plinth-e2e-browse-');
  await publish(registry, work);
  // The image server is on 127.0.0.1: reachable only through the fetcher's test seam.
  const harness = await startHarness(images ? { readmeImageSeams: { allowLoopbackForTests: true, ca: images.ca } } : {});
  t.after(() => harness.close());
  harness.host.registryPlugins.setRegistryPreferences({ url: registry.url });
  const settings = await harness.openSettings();
  mkdirSync(SHOTS, { recursive: true });
  return { registry, work, harness, settings };
}

test('Browse finds registry plugins, shows what they may do, installs one through consent', async (t) => {
  const images = await startImageServer(t, imageAnswer);
  const README = readmeWith(images.origin);
  const { registry, work, harness, settings } = await browseSetup(t, (registry, work) => Promise.all([
    publishPlugin(registry, work, { name: 'kanban-board', version: '1.2.0', description: 'Your tasks as a board', capabilities: ['tasks.read', 'http.outbound:api.trello.com'], readme: README }),
    publishPlugin(registry, work, { name: 'future-plugin', version: '3.0.0', description: 'Needs a newer Plinth', manifest: { engines: { plinth: '^9.0.0' } } }),
    publishPlugin(registry, work, { name: 'not-a-plugin', version: '1.0.0', keywords: ['util'] }),
  ]), images);
  // A cookie of the app origin: the image route must not pass it on.
  await settings.context().addCookies([{ name: 'plinth-session', value: 'secret', url: harness.url }]);

  await settings.getByTestId('plugins-view-browse').click();
  const hits = settings.getByTestId('catalog-hit');
  await hits.first().waitFor();
  assert.deepEqual(await hits.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('data-name'))), ['future-plugin', 'kanban-board'].sort(),
    'only packages with the plinth-plugin keyword');

  await settings.locator('[data-testid="catalog-hit"][data-name="kanban-board"]').click();
  const details = settings.locator('[data-testid="catalog-details"][data-name="kanban-board"]');
  await details.waitFor();
  assert.deepEqual(await details.getByTestId('catalog-capabilities').locator('li').allTextContents(), ['Read your tasks', 'Connect to api.trello.com']);
  assert.match(await details.getByTestId('catalog-engines').textContent() ?? '', /Works with this Plinth/);
  const readme = details.getByTestId('catalog-readme');
  assert.equal(await readme.locator('h1').textContent(), 'Kanban board');
  assert.equal(await readme.locator('img').count(), 0, 'no image element: neither the remote one nor the injected one');
  assert.equal(await readme.locator('script').count(), 0);
  assert.match(await readme.textContent() ?? '', /Image not loaded: diagram.*Image not loaded: broken/);
  assert.match(await details.getByTestId('readme-images-bar').textContent() ?? '', /2 images not loaded/);
  assert.match(await readme.textContent() ?? '', /<script>window\.pwned = true<\/script>/, 'raw HTML is shown as text');
  assert.equal(await readme.locator('a', { hasText: 'bad link' }).count(), 0, 'a javascript: link is not a link');
  assert.equal(await settings.evaluate(() => (globalThis as unknown as PageGlobals).pwned ?? false), false);
  assert.equal(images.requests.length, 0, 'with the preference off nothing reaches the image server');
  await settings.screenshot({ path: path.join(SHOTS, 'settings-browse.png') });

  // "Show images" (from the keyboard) loads this README's image through the app origin's image route.
  const showImages = details.getByTestId('readme-show-images');
  const proxied = settings.waitForResponse((r) => new URL(r.url()).searchParams.get('url')?.endsWith('/pixel.png') ?? false);
  await showImages.focus();
  await settings.keyboard.press('Enter');
  const answer = await proxied;
  assert.equal(answer.status(), 200);
  assert.equal(answer.headers()['content-type'], 'image/png');
  assert.equal(answer.headers()['set-cookie'], undefined, "the image server's Set-Cookie is not forwarded");
  assert.equal(new URL(answer.url()).searchParams.get('url'), `${images.origin}/pixel.png`);
  await settings.waitForFunction(IMAGE_LOADED);
  // The route refuses the HTML page (415): its <img> becomes a placeholder, not a broken icon.
  assert.equal(await readme.locator('[data-failed="true"]').textContent(), 'Image could not be loaded: broken');
  assert.equal(await readme.locator('img').count(), 1, 'the README picture only; the injected <img> stays text');
  assert.equal(await details.getByTestId('readme-images-bar').count(), 0);
  assert.equal(images.requests.length, 2);
  assertNothingForwarded(images);
  assert.equal(await settings.evaluate(() => (globalThis as unknown as PageGlobals).pwned ?? false), false);
  await details.getByRole('region', { name: 'README' }).screenshot({ path: path.join(SHOTS, 'settings-browse-readme-images.png') });

  await settings.locator('[data-testid="catalog-hit"][data-name="future-plugin"]').click();
  const future = settings.locator('[data-testid="catalog-details"][data-name="future-plugin"]');
  await future.waitFor();
  assert.match(await future.getByTestId('catalog-engines').textContent() ?? '', /Needs plugin API \^9\.0\.0; this Plinth has 1\.1\.0/);
  assert.equal(await future.getByTestId('catalog-install').isDisabled(), true);

  await settings.locator('[data-testid="catalog-hit"][data-name="kanban-board"]').click();
  await details.getByTestId('readme-show-images').waitFor(); // "Show images" held for that README only
  assert.equal(images.requests.length, 2);
  await details.getByTestId('catalog-install').click();
  const dialog = settings.getByTestId('consent-dialog');
  await dialog.waitFor();
  assert.match((await dialog.getByTestId('consent-capabilities').locator('li').allTextContents()).join('\n'), /Connect to api\.trello\.com/);
  await dialog.getByTestId('consent-allow').click();
  await settings.locator('[data-testid="plugin-card"][data-plugin-id="kanban-board"][data-enabled="true"][data-state="ready"]').waitFor();
  assert.equal(harness.host.registryPlugins.origin('kanban-board')?.registry, registry.url);
  const source = settings.locator('[data-testid="plugin-card"][data-plugin-id="kanban-board"]').getByTestId('plugin-source');
  assert.equal(await source.getAttribute('data-source'), 'registry');
  assert.equal(await source.textContent(), `From ${new URL(registry.url).host}`, 'the card names the registry it came from, not "From file"');

  // An update that waits for the next start shows above the list.
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ updateInstall: 'next-start' }));
  await publishPlugin(registry, work, { name: 'kanban-board', version: '1.3.0', capabilities: ['tasks.read', 'http.outbound:api.trello.com'], readme: README });
  await harness.host.registryPlugins.checkForUpdates();
  const notice = settings.locator('[data-testid="update-notices"] [data-plugin-id="kanban-board"]');
  await notice.waitFor();
  assert.match(await notice.textContent() ?? '', /1\.3\.0 is ready and installs at the next start/);

  // Dark theme, the README as it opens (its image not loaded).
  await settings.getByTestId('plugins-view-browse').click();
  await settings.locator('[data-testid="catalog-hit"][data-name="kanban-board"]').click();
  await details.waitFor();
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'dark' }));
  await settings.waitForFunction(() => (globalThis as unknown as PageGlobals).matchMedia('(prefers-color-scheme: dark)').matches);
  // Transitions finished: the theme switched just now.
  await settings.screenshot({ path: path.join(SHOTS, 'settings-browse-dark.png'), animations: 'disabled' });

  // The preference, switched on from the keyboard in the registry panel: images load at once, in every README.
  const panel = settings.getByTestId('registry-panel');
  await panel.locator('summary').click();
  const imagesPref = panel.getByTestId('pref-readmeRemoteImages');
  assert.equal(await imagesPref.isChecked(), false);
  assert.equal(await panel.getByLabel('Show images in plugin READMEs').count(), 1, 'the checkbox has its label');
  await imagesPref.focus();
  await settings.keyboard.press('Space');
  await settings.waitForFunction(IMAGE_LOADED);
  assert.equal(harness.host.preferences.get().readmeRemoteImages, true);
  await settings.locator('[data-testid="catalog-hit"][data-name="future-plugin"]').click();
  await settings.locator('[data-testid="catalog-details"][data-name="future-plugin"]').waitFor();
  await settings.locator('[data-testid="catalog-hit"][data-name="kanban-board"]').click();
  await details.waitFor();
  await settings.waitForFunction(IMAGE_LOADED);
  assert.equal(await details.getByTestId('readme-show-images').count(), 0, 'no button: the image is there at once');
  // The same document may take the picture from its memory cache; either way it came through the route.
  assert.match(await readme.locator('img').getAttribute('src') ?? '', /^\/readme-image\?url=https%3A%2F%2F127\.0\.0\.1%3A\d+%2Fpixel\.png$/);
  assertNothingForwarded(images);
  const readmeSection = details.getByRole('region', { name: 'README' });
  await readmeSection.screenshot({ path: path.join(SHOTS, 'settings-browse-readme-images-dark.png'), animations: 'disabled' });
  await panel.screenshot({ path: path.join(SHOTS, 'settings-browse-registry-panel-dark.png'), animations: 'disabled' });
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'system' }));
  await settings.waitForFunction(() => !(globalThis as unknown as PageGlobals).matchMedia('(prefers-color-scheme: dark)').matches);
  await panel.screenshot({ path: path.join(SHOTS, 'settings-browse-registry-panel.png'), animations: 'disabled' });

  // Switched off in another window (the main one): the open panel and README follow without reopening Browse.
  await harness.page.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ readmeRemoteImages: false }));
  await panel.locator('[data-testid="pref-readmeRemoteImages"]:not(:checked)').waitFor();
  await details.getByTestId('readme-show-images').waitFor();
  // So does a registry scope saved there.
  await harness.page.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setRegistryPreferences({ scopes: { '@acme': 'https://npm.acme.test/' } }));
  await settings.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.querySelector('[data-testid="registry-scopes"]') as unknown as { value: string }).value.includes('npm.acme.test'));

  // Offline: the search says so, the list keeps what it had.
  harness.host.registryPlugins.setRegistryPreferences({ url: `http://127.0.0.1:${await deadPort()}/` });
  await settings.getByRole('button', { name: 'Search', exact: true }).click();
  const error = settings.getByTestId('catalog-error');
  await error.waitFor();
  assert.match(await error.textContent() ?? '', /Cannot reach http:\/\/127\.0\.0\.1:\d+\/ .*nothing was changed/);
  assert.equal(await settings.locator('[data-testid="catalog-hit"]').count(), 2, 'the last results stay');
  assert.deepEqual(harness.pageErrors, []);
});

test('Browse details of a full-access plugin open with the warning; the list holds the other capabilities', async (t) => {
  const { harness, settings } = await browseSetup(t, (registry, work) => publishPlugin(registry, work, {
    name: 'shell-tools', version: '1.0.0', description: 'Runs your scripts', capabilities: ['system.unsandboxed', 'tasks.read'],
  }));
  await settings.getByTestId('plugins-view-browse').click();
  await settings.locator('[data-testid="catalog-hit"][data-name="shell-tools"]').click();
  const details = settings.locator('[data-testid="catalog-details"][data-name="shell-tools"]');
  await details.waitFor();
  assert.equal(await details.getByTestId('full-access-warning').locator('strong').textContent(), UNSANDBOXED_WORDS);
  assert.deepEqual(await details.getByTestId('catalog-capabilities').locator('li').allTextContents(), ['Read your tasks']);
  const section = details.getByRole('region', { name: 'What it will be allowed to do' });
  await section.screenshot({ path: path.join(SHOTS, 'browse-full-access.png') });
  await settings.emulateMedia({ colorScheme: 'dark' });
  await section.screenshot({ path: path.join(SHOTS, 'browse-full-access-dark.png') });
  assert.deepEqual(harness.pageErrors, []);
});
