/**
 * Chromium's answer to "which proxy for this URL" (Electron `session.resolveProxy`, a PAC-style
 * list such as `PROXY proxy.corp:8080; DIRECT`, see
 * https://www.electronjs.org/docs/latest/api/session#sesresolveproxyurl) as the proxy URL npm's
 * agent takes: the first entry; `null` when it is `DIRECT` (no proxy, even if `HTTPS_PROXY` is set).
 */
export function proxyUrl(answer: string): string | null {
  const [kind, hostPort] = (answer.split(';')[0] ?? '').trim().split(/\s+/);
  if (!kind || !hostPort || kind === 'DIRECT') return null;
  const scheme = kind === 'HTTPS' ? 'https' : kind.startsWith('SOCKS') ? 'socks' : 'http';
  return `${scheme}://${hostPort}`;
}
