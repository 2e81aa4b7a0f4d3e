/**
 * A UI-only plugin whose widgets attack from their frames, one attack per widget (each widget is
 * its own frame). Results that the frame can see are rendered as JSON in
 * `[data-testid=attack-result]`; the test checks the rest from outside (servers, other frames).
 */
import { pluginOriginKey } from '../../main/shell/plugin-origins.ts';
import { writePlugin } from './harness/test-plugins.ts';

/** The plugin's id. */
export const HOSTILE_UI = 'e2e-hostile-ui';

/** The widgets, by export name. */
export type HostileWidget = 'Snoop' | 'Rtc' | 'Freeze' | 'Bomb' | 'Flood' | 'NavHttp' | 'NavData' | 'NavBlob' | 'NavMeta' | 'NavSvg' | 'NavHtml';

/** Where the attacks aim. */
export interface HostileTargets {
  /** A local http server that must see no request (`http://127.0.0.1:<port>/`). */
  bait: string;
  /** A UDP port (STUN) and a TCP port (TURN) that must see no packet. */
  stunPort: number;
  turnPort: number;
}

function uiModule(targets: HostileTargets): string {
  return `import { createElement as h, useEffect, useState } from 'react';
const T = ${JSON.stringify(targets)};
const HELLO_KEY = ${JSON.stringify(pluginOriginKey('plinth-hello'))};
const here = new URL(document.URL);
const ownOrigin = here.protocol + '//' + here.host;
const helloOrigin = here.protocol + '//' + HELLO_KEY + '.test:' + here.port;
const HELLO_UI = '/plugins/plinth-hello/dist/ui/index.js';
const HELLO_ICON = '/plugins/plinth-hello/assets/icon.svg';
const image = (src) => new Promise((done) => { const i = new Image(); i.onload = () => done('allowed'); i.onerror = () => done('blocked'); i.src = src; });
const load = async (url) => { try { await import(url); return 'allowed'; } catch { return 'blocked'; } };

async function snoop() {
  return {
    ownFile: await image(ownOrigin + '/plugins/${HOSTILE_UI}/assets/ok.svg'),
    helloModuleOnOwnOrigin: await load(ownOrigin + HELLO_UI),
    helloModuleOnHelloOrigin: await load(helloOrigin + HELLO_UI),
    helloIconOnOwnOrigin: await image(ownOrigin + HELLO_ICON),
    helloIconOnHelloOrigin: await image(helloOrigin + HELLO_ICON),
  };
}

async function rtc() {
  if (typeof RTCPeerConnection !== 'function') return { rtc: 'no RTCPeerConnection' };
  const pc = new RTCPeerConnection({ iceServers: [
    { urls: 'stun:127.0.0.1:' + T.stunPort },
    { urls: 'turn:127.0.0.1:' + T.stunPort + '?transport=udp', username: 'u', credential: 'c' },
    { urls: 'turn:127.0.0.1:' + T.turnPort + '?transport=tcp', username: 'u', credential: 'c' },
  ] });
  const types = [];
  pc.onicecandidate = (e) => { if (e.candidate) types.push(e.candidate.type); };
  const complete = new Promise((done) => { pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') done(); }; });
  pc.createDataChannel('x');
  await pc.setLocalDescription(await pc.createOffer());
  await complete;
  pc.close();
  return { rtc: 'gathering complete', candidateTypes: types };
}

function Attack({ run }) {
  const [result, setResult] = useState(null);
  useEffect(() => { run().then(setResult, (e) => setResult({ error: String(e) })); }, []);
  return h('pre', { 'data-testid': 'attack-result' }, result ? JSON.stringify(result) : 'running');
}
const after = (fn) => () => { useEffect(() => { setTimeout(fn, 50); }, []); return h('p', { 'data-testid': 'attack-armed' }, 'armed'); };

export const Snoop = () => h(Attack, { run: snoop });
export const Rtc = () => h(Attack, { run: rtc });
export const Freeze = after(() => { for (;;) {} });
export const Bomb = after(() => { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); });
export const Flood = after(() => {
  const client = globalThis[Symbol.for('plinth.frame.client')];
  for (let i = 0; i < 100000; i++) client.request({ method: 'data', key: 'flood', params: null }).catch(() => {});
});
export const NavHttp = after(() => { location.href = T.bait + 'nav-http'; });
export const NavData = after(() => { location.href = 'data:text/html,<p>data document</p><img src="' + T.bait + 'nav-data">'; });
export const NavBlob = after(() => { location.href = URL.createObjectURL(new Blob(['<p>blob document</p><img src="' + T.bait + 'nav-blob">'], { type: 'text/html' })); });
export const NavMeta = after(() => { const m = document.createElement('meta'); m.httpEquiv = 'refresh'; m.content = '0;url=' + T.bait + 'nav-meta'; document.head.append(m); });
export const NavSvg = after(() => { location.href = ownOrigin + '/plugins/${HOSTILE_UI}/assets/evil.svg'; });
export const NavHtml = after(() => { location.href = ownOrigin + '/plugins/${HOSTILE_UI}/assets/page.html'; });
`;
}

/**
 * Writes the plugin with one dashboard widget per entry of `widgets`. `id` names a second hostile
 * plugin: its frames are on its own origin, so in their own renderer process, apart from the first's.
 */
export function writeHostileUiPlugin(root: string, targets: HostileTargets, widgets: HostileWidget[], id: string = HOSTILE_UI): string {
  const script = (name: string) => `<script>fetch(${JSON.stringify(targets.bait)} + '${name}-script')</script>`;
  return writePlugin(root, id, {
    name: id, version: '1.0.0', description: 'e2e plugin whose widgets attack from their frames', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: id === HOSTILE_UI ? 'Hostile UI' : `Hostile UI (${id})`,
      capabilities: ['ui.dashboardWidget.register'],
      ui: { entry: 'ui/index.js', slots: widgets.map((w) => ({ type: 'dashboardWidget', id: w.toLowerCase(), displayName: w, exportName: w })) },
    },
  }, {
    'ui/index.js': uiModule(targets),
    'assets/ok.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
    'assets/evil.svg': `<svg xmlns="http://www.w3.org/2000/svg"><script>fetch(${JSON.stringify(targets.bait)} + 'svg-script')</script><image href="${targets.bait}svg-image"/></svg>`,
    'assets/page.html': `<!doctype html><p>plugin page</p>${script('html')}<img src="${targets.bait}html-image">`,
  });
}
