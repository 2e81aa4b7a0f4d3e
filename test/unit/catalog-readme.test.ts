// The Browse tab's README renderer: Markdown in, no live HTML, no remote images, no unsafe links out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReadme } from '../../renderer/src/settings/browse/readme-html.ts';
import { scopesToText, textToScopes } from '../../renderer/src/settings/browse/scope-lines.ts';

test('raw HTML is escaped, remote images become placeholders, only http(s)/mailto links are links', () => {
  const html = renderReadme('# Hi\n\n<script>x()</script> <iframe src="https://evil"></iframe>\n\n![pic](https://t.example/p.png)\n\n[ok](https://ok.example) [bad](javascript:alert(1)) [data](data:text/html,x)');
  assert.match(html, /<h1>Hi<\/h1>/);
  assert.doesNotMatch(html, /<script|<iframe|<img/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /<span class="readme-image-blocked" title="https:\/\/t\.example\/p\.png">Image not loaded: pic<\/span>/);
  assert.match(html, /<a href="https:\/\/ok\.example">ok<\/a>/);
  assert.doesNotMatch(html, /href="javascript:|href="data:/);
});

test('per-scope registries are edited as "@scope = url" lines', () => {
  assert.deepEqual(textToScopes('@acme = https://npm.acme.test/\n\n@Other:registry=https://o.test/'), { ok: true, scopes: { '@acme': 'https://npm.acme.test/', '@other': 'https://o.test/' } });
  assert.deepEqual(textToScopes('acme = https://x/'), { ok: false, message: 'Line 1: expected "@scope = https://registry.example/"' });
  assert.equal(scopesToText({ '@acme': 'https://npm.acme.test/' }), '@acme = https://npm.acme.test/');
});
