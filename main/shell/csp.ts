/**
 * Content-Security-Policy headers of the app protocol (ARCHITECTURE.md "Processes and trust").
 * Two documents exist: shell documents (main and settings windows) on the app origin and the
 * plugin frame document on each plugin's own origin (main/shell/plugin-origins.ts). Neither loads
 * anything from outside its origin.
 */

/**
 * CSP of the shell windows. `style-src 'unsafe-inline'` because React writes `style`
 * attributes; `frame-src` only the plugin origins; `frame-ancestors 'none'` so a plugin frame
 * cannot load a shell document inside itself and pose as the shell.
 *
 * @param pluginFrames a CSP source matching every plugin origin (`AppOrigins.pluginSource`).
 */
export function shellCsp(pluginFrames: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `frame-src ${pluginFrames}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * CSP of the plugin frame document. The frame runs with an opaque origin (sandbox without
 * `allow-same-origin`), where `'self'` is not reliable, so the plugin's origin is named
 * explicitly: the frame loads its plugin's files and the frame modules, nothing of another
 * plugin. `connect-src 'none'` takes the network away: a plugin UI reaches data only through its
 * port. The inline import map is allowed by a per-response nonce. Documents a frame navigates
 * itself to (`data:`, `blob:`, its own `.html`/`.svg`) keep this policy: local schemes inherit
 * it, plugin files are served with it.
 *
 * @param pluginOrigin `scheme://host[:port]` of the plugin's frames, e.g. `plinth-plugin://p1234…`.
 * @param appOrigin the shell's origin, the only page that may embed the frame.
 * @param nonce base64 nonce of the inline import map; omitted for plugin files, which get no inline script.
 */
export function frameCsp(pluginOrigin: string, appOrigin: string, nonce?: string): string {
  return [
    "default-src 'none'",
    `script-src ${pluginOrigin}${nonce ? ` 'nonce-${nonce}'` : ''}`,
    `style-src ${pluginOrigin} 'unsafe-inline'`,
    `img-src ${pluginOrigin} data: blob:`,
    `font-src ${pluginOrigin} data:`,
    `media-src ${pluginOrigin} blob:`,
    "connect-src 'none'",
    "worker-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${appOrigin}`,
  ].join('; ');
}

/**
 * CSP of every file a plugin folder serves (HTML, SVG and any other type a frame could navigate
 * to): the frame policy plus a `sandbox` directive, so such a document has an opaque origin and
 * no network even when loaded on its own. Ignored where a file is used as a script or image.
 */
export function pluginDocumentCsp(pluginOrigin: string, appOrigin: string): string {
  return `${frameCsp(pluginOrigin, appOrigin)}; sandbox allow-scripts`;
}

/**
 * CSP of a README image the app origin serves (`/readme-image`): an image needs none, but should
 * one (an SVG) ever be opened as a document on the app origin, it runs no script, loads nothing
 * and is sandboxed into an opaque origin, away from the shell's bridge.
 */
export function readmeImageCsp(): string {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
}
