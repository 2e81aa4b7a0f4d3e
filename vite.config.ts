// Vite builds the shell windows (renderer/index.html, renderer/settings.html) into out/renderer.
// The plugin frame's modules are built separately by scripts/build.ts (esbuild), because they
// must share one React instance with plugin code through an import map.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer/', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer/', import.meta.url)),
    // scripts/build.ts cleans out/ itself and writes out/renderer/frame beside this output.
    emptyOutDir: false,
    target: 'chrome140',
    // The polyfill would be an inline script, which the shell CSP (script-src 'self') forbids.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        settings: fileURLToPath(new URL('./renderer/settings.html', import.meta.url)),
      },
    },
  },
});
