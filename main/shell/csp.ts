/**
 * Content-Security-Policy headers of the app protocol (ARCHITECTURE.md "Processes and trust").
 * Two documents exist: shell documents (main and settings windows) and the plugin frame
 * document. Both load nothing from outside the app origin.
 */

/**
 * CSP of the shell windows. `style-src 'unsafe-inline'` because React writes `style`
 * attributes; `frame-ancestors 'none'` so a plugin frame cannot load a shell document inside
 * itself and pose as the shell.
 */
export const SHELL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "frame-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * CSP of the plugin frame document. The frame runs with an opaque origin (sandbox without
 * `allow-same-origin`), where `'self'` is not reliable, so the app origin is named
 * explicitly. `connect-src 'none'` takes the network away: a plugin UI reaches data only
 * through its port. The inline import map is allowed by a per-response nonce.
 *
 * @param appOrigin `scheme://host[:port]` of the app, e.g. `plinth://app`.
 * @param nonce base64 nonce of the inline import map; omitted for plugin HTML files, which get no inline script.
 */
export function frameCsp(appOrigin: string, nonce?: string): string {
  return [
    "default-src 'none'",
    `script-src ${appOrigin}${nonce ? ` 'nonce-${nonce}'` : ''}`,
    `style-src ${appOrigin} 'unsafe-inline'`,
    `img-src ${appOrigin} data: blob:`,
    `font-src ${appOrigin} data:`,
    `media-src ${appOrigin} blob:`,
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
 * CSP for HTML files a plugin folder serves directly: the frame policy plus a `sandbox`
 * directive, so such a page has an opaque origin and no network even when loaded on its own.
 */
export function pluginDocumentCsp(appOrigin: string): string {
  return `${frameCsp(appOrigin)}; sandbox allow-scripts`;
}
