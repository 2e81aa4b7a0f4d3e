// The Browse tab's README renderer: Markdown in, no live HTML, no remote images unless allowed (then only through the image route), no unsafe links out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReadme } from '../../renderer/src/settings/browse/readme-html.ts';
import { README_IMAGE_PATH } from '../../sdk/protocol/registry-catalog.ts';
import { scopesToText, textToScopes } from '../../renderer/src/settings/browse/scope-lines.ts';

test('raw HTML is escaped, remote images become placeholders, only http(s)/mailto links are links', () => {
  const { html, blockedImages } = renderReadme('# Hi\n\n<script>x()</script> <iframe src="https://evil"></iframe>\n\n![pic](https://t.example/p.png)\n\n[ok](https://ok.example) [bad](javascript:alert(1)) [data](data:text/html,x)');
  assert.match(html, /<h1>Hi<\/h1>/);
  assert.doesNotMatch(html, /<script|<iframe|<img/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /<span class="readme-image-blocked" title="https:\/\/t\.example\/p\.png">Image not loaded: pic<\/span>/);
  assert.match(html, /<a href="https:\/\/ok\.example">ok<\/a>/);
  assert.doesNotMatch(html, /href="javascript:|href="data:/);
  assert.equal(blockedImages, 1);
});

test('allowed images load only through the image route, https only; http stays a placeholder, relative and data: stay text', () => {
  const markdown = '![a "b"](https://t.example/p.png?x=1&y=2) ![plain](http://t.example/q.png) ![rel](docs/r.png) ![data](data:image/png;base64,AAAA)';
  const blocked = renderReadme(markdown);
  assert.equal(blocked.blockedImages, 1, 'only the https image could be shown');
  const { html, blockedImages } = renderReadme(markdown, true);
  assert.equal(blockedImages, 0);
  const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
  assert.equal(images.length, 1);
  const src = new URL(images[0]!.match(/src="([^"]*)"/)![1]!.replaceAll('&amp;', '&'), 'https://app.invalid/');
  assert.equal(src.origin + src.pathname, `https://app.invalid${README_IMAGE_PATH}`, 'a path on the page\'s own origin');
  assert.equal(src.searchParams.get('url'), 'https://t.example/p.png?x=1&y=2');
  assert.match(images[0]!, /alt="a &quot;b&quot;"/);
  assert.match(html, /Image not loaded: plain/);
  assert.match(html, /!\[rel\]\(docs\/r\.png\) !\[data\]\(data:/, 'relative and data: images fail the link check: text');
  assert.doesNotMatch(html, /src="(https?:|data:|docs)/);
});

test('per-scope registries are edited as "@scope = url" lines', () => {
  assert.deepEqual(textToScopes('@acme = https://npm.acme.test/\n\n@Other:registry=https://o.test/'), { ok: true, scopes: { '@acme': 'https://npm.acme.test/', '@other': 'https://o.test/' } });
  assert.deepEqual(textToScopes('acme = https://x/'), { ok: false, message: 'Line 1: expected "@scope = https://registry.example/"' });
  assert.equal(scopesToText({ '@acme': 'https://npm.acme.test/' }), '@acme = https://npm.acme.test/');
});
