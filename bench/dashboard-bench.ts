/**
 * The dashboard with 20 plugin widgets, in the real shell: the built renderer served by the app
 * protocol's handler, the real preload bridge, the real host core (the e2e harness), in Debian
 * Chromium. 20 generated UI plugins each contribute one `dashboardWidget` showing one paragraph.
 *
 * - Time: from navigation (the page's time origin) to the first animation frame in which all 20
 *   widgets are visible: every frame has reported `rendered` (its `data-state` is `ready`, so the
 *   shell shows it). Measured in the page by `requestAnimationFrame`, so Playwright's round trips
 *   are not in it.
 * - Floor: the same shell built with its `SlotHost` replaced by a host-rendered card body showing
 *   the same text (dashboard-floor.ts): the same route, bundle, bridge calls and 20 cards, no
 *   frames. Fresh page per sample, floor and measured samples interleaved, medians compared.
 * - Memory: the proportional set size (PSS, `/proc/<pid>/smaps_rollup`) summed over the browser's
 *   renderer processes (CDP `SystemInfo.getProcessInfo`) once all widgets are visible: the shell
 *   page's process plus one per plugin frame (each plugin is its own site).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../test/e2e/harness/index.ts';
import { writeWidgetPlugin } from '../test/e2e/harness/test-plugins.ts';
import { createPluginRoot } from '../test/support/plugin-folders.ts';
import { buildFloorRenderer } from './dashboard-floor.ts';
import { benchWidgetText, DASHBOARD_WIDGETS } from './fixtures/dashboard-widget.ts';
import { mb, ms, percentile, report, type BenchOptions } from './support.ts';

/** The target: all widgets visible within 3× the time of as many host-rendered cards. */
export const DASHBOARD_TARGET = 3;
/**
 * Tall enough that all 20 widgets are in view at the app's default width (two columns), since
 * frames are created only when they come near the viewport. Checked at every sample.
 */
const VIEWPORT = { width: 1100, height: 2000 };
/** Page global the timing script sets (ms since the page's time origin). */
const VISIBLE_AT = '__plinthBenchVisibleAt';
/** Longest wait for one sample's widgets, far above any real run: a broken shell fails instead of hanging. */
const SAMPLE_TIMEOUT_MS = 120_000;

/**
 * Installed in every shell page before its scripts: checks at each animation frame whether
 * `count` widgets are visible (host cards, or plugin frames whose document has rendered) and
 * records the time of the first frame in which they all are.
 */
function timingScript(count: number): string {
  return `(() => {
  if (window !== window.top) return;
  const visible = () => document.querySelectorAll('[data-testid="widget-text"], iframe[data-testid="slot-frame"][data-state="ready"]').length;
  const tick = () => {
    if (visible() >= ${count}) window.${VISIBLE_AT} = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;
}

/** One renderer process: its pid, its memory (bytes) and the CPU time it has used (s). */
interface Renderer { pid: number; pss: number; rss: number; cpu: number }

/** CPU time the browser process has used (s). */
async function browserCpu(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    return (await cdp.send('SystemInfo.getProcessInfo')).processInfo.find((p) => p.type === 'browser')?.cpuTime ?? NaN;
  } finally {
    await cdp.detach();
  }
}

/**
 * The browser's renderer processes that serve web content (CDP `SystemInfo.getProcessInfo`;
 * headless Chromium's own `--top-chrome-webui` renderer is not one), with PSS and RSS from
 * `/proc/<pid>/smaps_rollup`.
 */
async function renderers(browser: Browser): Promise<Renderer[]> {
  const cdp = await browser.newBrowserCDPSession();
  let listed: Array<{ id: number; cpuTime: number }>;
  try {
    listed = (await cdp.send('SystemInfo.getProcessInfo')).processInfo.filter((p) => p.type === 'renderer');
  } finally {
    await cdp.detach();
  }
  const found: Renderer[] = [];
  for (const { id: pid, cpuTime } of listed) {
    let cmdline: string;
    let rollup: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue; // exited since the list was made
    }
    const args = cmdline.split('\0');
    if (args.includes('--top-chrome-webui')) continue;
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    found.push({ pid, pss: kb('Pss'), rss: kb('Rss'), cpu: cpuTime });
  }
  return found;
}

const exists = (pid: number) => existsSync(`/proc/${pid}`);

interface Sample {
  ms: number; pss: number; rss: number; processes: number;
  /** CPU time (s) until all widgets were visible: the window's renderers, and the browser process during the sample. */
  rendererCpu: number; browserCpu: number;
}

/**
 * Opens a fresh main window on the dashboard, measures it and closes it. Its renderers are the
 * processes that exit when it closes: `expected` of them (the shell's, plus one per plugin
 * frame). Chromium keeps a spare renderer ready for the next navigation, alive when the page
 * was measured; it usually survives the close, and is not counted when it does not.
 */
async function sample(harness: Harness, browser: Browser, expected: number): Promise<Sample> {
  const cpuBefore = await browserCpu(browser);
  const page: Page = await harness.page.context().newPage();
  let visibleAt: number;
  let all: Renderer[];
  let cpuAfter: number;
  try {
    await page.goto(`${harness.url}/index.html#/`);
    const handle = await page.waitForFunction((name) => (globalThis as unknown as Record<string, number | undefined>)[name], VISIBLE_AT, { timeout: SAMPLE_TIMEOUT_MS });
    visibleAt = (await handle.jsonValue()) as number;
    all = await renderers(browser);
    cpuAfter = await browserCpu(browser);
    const layout = await page.evaluate<{ widgets: number; below: number }>(`(() => {
      const widgets = [...document.querySelectorAll('[data-testid="widget"]')];
      return { widgets: widgets.length, below: widgets.filter((w) => w.getBoundingClientRect().bottom > window.innerHeight).length };
    })()`);
    if (layout.widgets !== DASHBOARD_WIDGETS || layout.below > 0) {
      throw new Error(`dashboard benchmark: ${layout.widgets} widgets, ${layout.below} below the ${VIEWPORT.height} px viewport`);
    }
  } finally {
    await page.close();
  }
  // Also keeps the next sample from starting while this one's processes are still exiting.
  const deadline = Date.now() + SAMPLE_TIMEOUT_MS;
  while (all.filter((r) => exists(r.pid)).length > all.length - expected) {
    if (Date.now() > deadline) throw new Error(`dashboard benchmark: ${expected} renderer processes were expected to exit with the page; ${all.filter((r) => !exists(r.pid)).length} of ${all.length} did`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // The spare may exit too (Chromium replaces it); it has run no page, so it has used the least CPU.
  const mine = all.filter((r) => !exists(r.pid)).sort((x, y) => y.cpu - x.cpu).slice(0, expected);
  const sum = (pick: (r: Renderer) => number) => mine.reduce((total, r) => total + pick(r), 0);
  return {
    ms: visibleAt, pss: sum((r) => r.pss), rss: sum((r) => r.rss), processes: mine.length,
    rendererCpu: sum((r) => r.cpu), browserCpu: cpuAfter - cpuBefore,
  };
}

/** Checks once that every plugin frame shows its widget's text (the figure is about real widgets). */
async function assertWidgetsRendered(harness: Harness, ids: string[]): Promise<void> {
  const page = await harness.page.context().newPage();
  try {
    await page.goto(`${harness.url}/index.html#/`);
    for (const [i, id] of ids.entries()) {
      const text = await page.frameLocator(`iframe[data-plugin-id="${id}"]`).getByTestId('widget-text').textContent({ timeout: SAMPLE_TIMEOUT_MS });
      if (text !== benchWidgetText(displayName(i))) throw new Error(`dashboard benchmark: ${id}'s frame shows ${JSON.stringify(text)}`);
    }
  } finally {
    await page.close();
  }
}

const displayName = (i: number) => `Bench widget ${String(i + 1).padStart(2, '0')}`;

/** Runs the dashboard benchmark and prints its lines. */
export async function runDashboardBench(options: BenchOptions): Promise<void> {
  const samples = options.quick ? 3 : 7;
  const root = createPluginRoot('plinth-bench-dashboard-');
  const ids = Array.from({ length: DASHBOARD_WIDGETS }, (_, i) => `bench-widget-${String(i + 1).padStart(2, '0')}`);
  for (const [i, id] of ids.entries()) writeWidgetPlugin(root.dir, id, { name: id, displayName: displayName(i), text: benchWidgetText(displayName(i)) });
  const floorDir = await buildFloorRenderer();
  const common = {
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' as const }], enablePlugins: ids,
    bundledPluginsDir: join(root.dir, 'no-bundled-plugins'), viewport: VIEWPORT,
  };
  const harnesses: Harness[] = [];
  try {
    const frames = await startHarness(common);
    harnesses.push(frames);
    const cards = await startHarness({ ...common, rendererDir: floorDir });
    harnesses.push(cards);
    await assertWidgetsRendered(frames, ids);
    // The shell's renderer plus, with frames, one per plugin (each plugin is its own site).
    const kinds = [
      { harness: frames, expected: 1 + DASHBOARD_WIDGETS, samples: [] as Sample[] },
      { harness: cards, expected: 1, samples: [] as Sample[] },
    ];
    for (const k of kinds) {
      await k.harness.page.context().addInitScript({ content: timingScript(DASHBOARD_WIDGETS) });
      // The harness's first window loaded the shell once (a warm-up); each sample opens its own.
      await k.harness.page.close();
    }
    for (let i = 0; i < samples; i++) {
      // Interleaved, alternating which goes first, so load on the shared machine hits both alike.
      for (const k of i % 2 === 0 ? kinds : [...kinds].reverse()) {
        k.samples.push(await sample(k.harness, k.harness.page.context().browser()!, k.expected));
      }
    }
    const [f, c] = kinds.map((k) => {
      const median = (pick: (s: Sample) => number) => percentile(k.samples.map(pick), 50);
      return {
        ms: median((s) => s.ms), pss: median((s) => s.pss), rss: median((s) => s.rss), processes: median((s) => s.processes),
        rendererCpu: median((s) => s.rendererCpu), browserCpu: median((s) => s.browserCpu),
      };
    }) as [Sample, Sample];
    console.log(`\nDashboard (${DASHBOARD_WIDGETS} widgets of ${DASHBOARD_WIDGETS} plugins in the real shell in Chromium; floor: the same shell with host-rendered cards; median of ${samples})`);
    report(`navigation → ${DASHBOARD_WIDGETS} widgets visible`, ms(f.ms), ms(c.ms), f.ms / c.ms, DASHBOARD_TARGET);
    report(`renderer PSS, ${f.processes} processes (+${mb((f.pss - c.pss) / DASHBOARD_WIDGETS)}/frame)`, mb(f.pss), mb(c.pss), f.pss / c.pss);
    console.log(`  (renderer RSS summed: ${mb(f.rss)} with frames, ${mb(c.rss)} with cards in ${c.processes} process; RSS counts shared pages once per process)`);
    // Where the time goes: on a machine with few cores the frames' CPU time, not waiting, sets the figure.
    const perFrame = (f.rendererCpu - c.rendererCpu) / DASHBOARD_WIDGETS;
    const cpu = (seconds: number) => `${Math.round(seconds * 1000)} ms`;
    console.log(`  (CPU until visible: renderers ${cpu(f.rendererCpu)} with frames, ${cpu(c.rendererCpu)} with cards, so ${cpu(perFrame)} per frame; browser process ${cpu(f.browserCpu)} vs ${cpu(c.browserCpu)})`);
  } finally {
    for (const h of harnesses.reverse()) await h.close();
    rmSync(floorDir, { recursive: true, force: true });
    root.cleanup();
  }
}
