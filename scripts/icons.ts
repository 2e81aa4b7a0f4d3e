/**
 * Renders assets/icon.svg to assets/icon.png (1024×1024 px), the icon electron-builder turns
 * into each platform's format (`buildResources: assets`). Run: `node scripts/icons.ts`.
 * Uses Debian's Chromium through playwright-core, like the screenshots script.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SIZE_PX = 1024;
const assets = join(import.meta.dirname, '..', 'assets');
const svg = await readFile(join(assets, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE_PX, height: SIZE_PX } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(assets, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
