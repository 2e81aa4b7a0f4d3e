// Plugin UIs are contained in the real browser: each plugin's frames are on the plugin's own
// origin (so its own renderer process) and load only its files; WebRTC reaches nothing; a frame
// that navigates itself lands on a document with the frame's CSP or on nothing; a frozen, exploding
// or flooding widget leaves the shell and the Hello widget working. (Electron blocks subframe
// navigation outright, main/electron/security.ts; the harness shows what Chromium itself does.)
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness/index.ts';
import { makePluginRoot } from './harness/test-plugins.ts';
import { HOSTILE_UI, writeHostileUiPlugin, type HostileTargets, type HostileWidget } from './hostile-ui-plugin.ts';

/** Everything that reaches the bait servers. */
interface Bait { targets: HostileTargets; seen: string[] }

async function startBait(t: TestContext): Promise<Bait> {
  const seen: string[] = [];
  const web = http.createServer((req, res) => { seen.push(`http ${req.url}`); res.end('reached'); });
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => seen.push('udp packet'));
  const tcp = net.createServer((socket) => { seen.push('tcp connection'); socket.destroy(); });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    udp.close();
    web.closeAllConnections();
    await Promise.all([web, tcp].map((s) => new Promise<void>((resolve) => { s.close(() => resolve()); })));
  });
  return {
    seen,
    targets: { bait: `http://127.0.0.1:${(web.address() as AddressInfo).port}/`, stunPort: udp.address().port, turnPort: (tcp.address() as AddressInfo).port },
  };
}

/** Starts the app with the hostile plugin's `widgets`, and with more hostile plugins (id → widgets) beside it. */
async function start(t: TestContext, widgets: HostileWidget[], more: Record<string, HostileWidget[]> = {}): Promise<{ harness: Harness; bait: Bait }> {
  const bait = await startBait(t);
  const root = makePluginRoot(t);
  writeHostileUiPlugin(root, bait.targets, widgets);
  for (const [id, its] of Object.entries(more)) writeHostileUiPlugin(root, bait.targets, its, id);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [HOSTILE_UI, ...Object.keys(more)] });
  t.after(() => harness.close());
  return { harness, bait };
}

/** The second hostile plugin of the frozen-widget test (its own origin, so its own renderer process). */
const BOMB_PLUGIN = 'e2e-hostile-bomb';

const widgetFrame = (page: Page, slotId: string) => page.locator(`[data-testid="slot-frame"][data-plugin-id="${HOSTILE_UI}"][data-slot-id="${slotId}"]`);

async function attackResult(page: Page, slotId: string): Promise<Record<string, unknown>> {
  const result = page.frameLocator(`[data-testid="slot-frame"][data-slot-id="${slotId}"]`).getByTestId('attack-result').filter({ hasNotText: 'running' });
  await result.waitFor();
  return JSON.parse((await result.textContent()) ?? '{}') as Record<string, unknown>;
}

/** Clicks Hello's button and waits for the count the worker answers: the shell and another plugin's frame both work. */
async function helloStillCounts(page: Page): Promise<void> {
  const hello = page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]');
  const count = hello.getByTestId('hello-count');
  await count.waitFor();
  const before = Number(await count.textContent());
  await hello.getByTestId('hello-increment').click();
  await count.filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor();
}

/** The frame of a widget once it has left the frame document. */
async function navigatedFrame(page: Page, slotId: string): Promise<Frame> {
  for (;;) {
    const frame = await (await widgetFrame(page, slotId).elementHandle())?.contentFrame();
    // A frame between two documents reports an empty URL: wait for the document it lands on.
    const url = frame?.url() ?? '';
    if (frame && url !== '' && url !== 'about:blank' && !url.endsWith('/frame.html')) return frame;
    await page.waitForEvent('framenavigated');
  }
}

test('each plugin\'s frames are on its own origin and load only its own files', async (t) => {
  const { harness } = await start(t, ['Snoop']);
  const src = await widgetFrame(harness.page, 'snoop').getAttribute('src');
  const hello = await harness.page.locator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').getAttribute('src');
  assert.notEqual(new URL(src ?? '').host, new URL(harness.url).host, 'not the shell\'s origin');
  assert.notEqual(new URL(src ?? '').host, new URL(hello ?? '').host, 'not another plugin\'s origin');
  assert.deepEqual(await attackResult(harness.page, 'snoop'), {
    ownFile: 'allowed',
    helloModuleOnOwnOrigin: 'blocked',
    helloModuleOnHelloOrigin: 'blocked',
    helloIconOnOwnOrigin: 'blocked',
    helloIconOnHelloOrigin: 'blocked',
  });
});

test('WebRTC from a plugin frame reaches no STUN or TURN server on 127.0.0.1', async (t) => {
  const { harness, bait } = await start(t, ['Rtc']);
  const result = await attackResult(harness.page, 'rtc');
  assert.ok(result.rtc === 'gathering complete' || result.rtc === 'no RTCPeerConnection', JSON.stringify(result));
  assert.ok(!(result.candidateTypes as string[] | undefined)?.some((type) => type === 'srflx' || type === 'relay'), 'no server-derived candidate');
  assert.deepEqual(bait.seen, []);
});

test('a frame navigating itself lands on nothing or on a document that keeps the frame CSP', async (t) => {
  const { harness, bait } = await start(t, ['NavHttp', 'NavMeta', 'NavData', 'NavBlob', 'NavSvg', 'NavHtml']);
  const shellUrl = harness.page.url();
  for (const slot of ['navhttp', 'navmeta']) {
    const frame = await navigatedFrame(harness.page, slot);
    assert.match(frame.url(), /^chrome-error:/, `${slot} reached no page (${frame.url()})`);
  }
  for (const slot of ['navdata', 'navblob', 'navsvg', 'navhtml']) {
    const frame = await navigatedFrame(harness.page, slot);
    await frame.waitForLoadState('load');
    const fetched = await frame.evaluate((url) => fetch(url).then(() => 'allowed', () => 'blocked'), `${bait.targets.bait}from-${slot}`);
    assert.equal(fetched, 'blocked', `${slot} (${frame.url().slice(0, 40)}) has no network`);
  }
  assert.deepEqual(bait.seen, [], 'the bait server saw nothing');
  assert.equal(harness.page.url(), shellUrl);
  await helloStillCounts(harness.page);
});

test('a frozen widget and a memory bomb leave the shell and the Hello widget working', async (t) => {
  // Two plugins, so two renderer processes: frames of one origin share a main thread, and a frozen
  // one would stop its sibling before it mounted (then the bomb would never go off).
  const { harness } = await start(t, ['Freeze'], { [BOMB_PLUGIN]: ['Bomb'] });
  for (const slot of ['freeze', 'bomb']) await harness.page.locator(`[data-slot-id="${slot}"][data-state="ready"]`).waitFor();
  await helloStillCounts(harness.page);
  await helloStillCounts(harness.page);
  // The premise: the frozen frame really is stuck; the shell's watchdog says it is not responding.
  await harness.page.locator(`[data-testid="frame-frozen"][data-plugin-id="${HOSTILE_UI}"]`).first().waitFor();
  await helloStillCounts(harness.page);
  assert.deepEqual(harness.pageErrors, []);
});

test('a widget flooding its port with 100,000 requests is stopped with a clear message; Hello keeps working', async (t) => {
  const { harness } = await start(t, ['Flood']);
  const stopped = harness.page.locator(`[data-testid="slot-stopped"][data-plugin-id="${HOSTILE_UI}"][data-slot-id="flood"]`);
  await stopped.waitFor();
  assert.match((await stopped.textContent()) ?? '', /Hostile UI sent more than 2000 messages in a second and was stopped/);
  await helloStillCounts(harness.page);
  assert.deepEqual(harness.pageErrors, []);
});
