/**
 * The plugin frame document (`/frame.html`) and its import map. The build
 * (scripts/build.ts) produces one ESM module per import-map entry under `out/renderer/frame/`,
 * all from ONE esbuild run, so React is a single instance shared by the frame bootstrap,
 * `@plinth/sdk/ui` and the plugin's code (CONTRACT §1: the host provides these modules).
 */

/** Bare specifier → file name under `/frame/`. The build reads this table to make its entries. */
export const FRAME_MODULES = {
  'react': 'react.js',
  'react/jsx-runtime': 'react-jsx-runtime.js',
  'react-dom': 'react-dom.js',
  'react-dom/client': 'react-dom-client.js',
  '@plinth/sdk/ui': 'sdk-ui.js',
} as const;

/** A specifier the frame provides. */
export type FrameModuleSpecifier = keyof typeof FRAME_MODULES;

/** File name of the frame bootstrap module under `/frame/`. */
export const FRAME_BOOTSTRAP_FILE = 'bootstrap.js';
/** File name of the frame base stylesheet under `/frame/`. */
export const FRAME_STYLESHEET_FILE = 'frame.css';

function escapeHtmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The HTML of `/frame.html`.
 *
 * @param nonce the nonce that the response's CSP allows for the inline import map.
 * @returns a complete HTML document; the bootstrap waits for the shell's `plinth:port` message.
 */
export function renderFrameDocument(nonce: string): string {
  const imports = Object.fromEntries(Object.entries(FRAME_MODULES).map(([spec, file]) => [spec, `/frame/${file}`]));
  // `<` is escaped so no module path can close the script element early.
  const importMap = JSON.stringify({ imports }).replace(/</g, '\\u003c');
  const n = escapeHtmlAttribute(nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plugin</title>
<script type="importmap" nonce="${n}">${importMap}</script>
<link rel="stylesheet" href="/frame/${FRAME_STYLESHEET_FILE}">
<script type="module" src="/frame/${FRAME_BOOTSTRAP_FILE}"></script>
</head>
<body><div id="plinth-root"></div></body>
</html>
`;
}
