/** Debian's Chromium for the e2e harness (never `playwright install`: no browser downloads here). */
import { chromium, type Browser } from 'playwright-core';

/** Path of the system Chromium; override with `PLINTH_CHROMIUM`. */
export const CHROMIUM_PATH = process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless run in a container without a user namespace or GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/**
 * What Electron's code does for the app (main/electron/security.ts, main/index.ts), as switches:
 * - `<key>.test` plugin origins resolve to the app server: one site, so one process, per plugin;
 *   `--site-per-process` as the app sets it.
 * - WebRTC: no UDP that does not go through a proxy (`--webrtc-ip-handling-policy` with the IP
 *   permission check enforced) and a proxy nothing listens on for everything but the app server,
 *   loopback included, so neither STUN nor TURN reaches anything. The app server's own port is
 *   the one address a TURN-over-TCP attempt could still connect to.
 * @param appPort the app server's port.
 */
export function isolationArgs(appPort: number): string[] {
  return [
    '--site-per-process',
    '--host-resolver-rules=MAP *.test 127.0.0.1',
    '--webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--enforce-webrtc-ip-permission-check',
    '--proxy-server=socks5://127.0.0.1:9',
    `--proxy-bypass-list=<-loopback>;127.0.0.1:${appPort};*.test:${appPort}`,
  ];
}

/** Launches Chromium headless; `extraArgs` after the defaults. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
