/** Debian's Chromium for the e2e harness (never `playwright install`: no browser downloads here). */
import { chromium, type Browser } from 'playwright-core';

/** Path of the system Chromium; override with `PLINTH_CHROMIUM`. */
export const CHROMIUM_PATH = process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless run in a container without a user namespace or GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/** Launches Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
