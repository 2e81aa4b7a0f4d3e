/** The per-scope registries field of the registry panel: one `@scope = url` per line. Pure. */

/** `@acme = https://npm.acme.example/` lines ⇄ the scopes object. */
export function scopesToText(scopes: Record<string, string>): string {
  return Object.entries(scopes).map(([scope, url]) => `${scope} = ${url}`).join('\n');
}

/** Reads the scope lines; a bad line is reported with its number. */
export function textToScopes(text: string): { ok: true; scopes: Record<string, string> } | { ok: false; message: string } {
  const scopes: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const m = /^(@[a-z0-9][a-z0-9._~-]*)\s*[=:]\s*(https?:\/\/\S+)$/i.exec(line.replace(/:registry\s*=/, ' ='));
    if (!m) return { ok: false, message: `Line ${i + 1}: expected "@scope = https://registry.example/"` };
    scopes[m[1]!.toLowerCase()] = m[2]!;
  }
  return { ok: true, scopes };
}
