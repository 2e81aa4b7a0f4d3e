/**
 * Writes screenshots of the real app for the README (run: `npm run screenshots`, which builds
 * first): docs/screenshots/{main-window,settings-window}.png and their `-dark` variants.
 * Uses the e2e harness, so what it shows is the real host with the bundled plugins.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../test/e2e/harness/index.ts';

const OUT_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
/** How many times to press the Hello widget's button before the shot. */
const HELLO_PRESSES = 3;

async function capture(colorScheme: 'light' | 'dark'): Promise<void> {
  const suffix = colorScheme === 'dark' ? '-dark' : '';
  const harness = await startHarness({ colorScheme });
  try {
    const { page } = harness;
    // Every widget rendered and sized: each frame reports `rendered` after its first commit.
    const frames = page.locator('[data-testid="slot-frame"]');
    const count = await frames.count();
    for (let i = 0; i < count; i++) await page.locator('[data-testid="slot-frame"][data-state="ready"]').nth(i).waitFor();
    // The Hello widget has data once its count shows; press it a few times so the picture shows it in use.
    const hello = page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]');
    if (await page.locator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').count()) {
      for (let n = 1; n <= HELLO_PRESSES; n++) {
        await hello.getByTestId('hello-increment').click();
        await hello.getByTestId('hello-count').filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
      }
      await hello.getByRole('button', { name: 'Add one' }).waitFor();
    }
    await page.screenshot({ path: path.join(OUT_DIR, `main-window${suffix}.png`) });

    const settings = await harness.openSettings();
    await settings.screenshot({ path: path.join(OUT_DIR, `settings-window${suffix}.png`), fullPage: true });
  } finally {
    await harness.close();
  }
}

mkdirSync(OUT_DIR, { recursive: true });
await capture('light');
await capture('dark');
console.log(`Screenshots written to ${path.relative(process.cwd(), OUT_DIR) || '.'}`);
