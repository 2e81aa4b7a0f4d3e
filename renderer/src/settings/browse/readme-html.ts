/**
 * READMEs as sanitised HTML: markdown-it with raw HTML off (every `<tag>` in the Markdown is
 * shown as text, so no script, style or iframe gets in), only http, https, mailto and `#`
 * links. Images from the internet are a labelled placeholder, since loading one would tell its
 * server that you looked, unless the user allowed them (the `readmeRemoteImages` preference or
 * "Show images"): then an https image loads from the app origin's image route, which the main
 * process fetches without cookies or referrer (main/host/catalog/readme-images.ts); the shell
 * never loads a remote origin itself. Other images (http, relative) stay placeholders. Pure, so
 * it is unit-tested in Node.
 */
import MarkdownIt, { type Env } from 'markdown-it';
import { README_IMAGE_PATH } from '../../../../sdk/protocol/registry-catalog.ts';


/** Per render: whether https images load, and how many were left out. */
interface RenderEnv extends Env { showImages: boolean; blocked: number }

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const SAFE_LINK = /^(https?:|mailto:|#)/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim());
md.renderer.rules.image = (tokens, idx, _options, renderEnv) => {
  const env = renderEnv as RenderEnv;
  const token = tokens[idx]!;
  const alt = md.utils.escapeHtml(token.content || 'image');
  const raw = String(token.attrGet('src') ?? '');
  const src = md.utils.escapeHtml(raw);
  const remote = /^https:\/\//i.test(raw);
  if (remote && env.showImages) {
    return `<img class="readme-image" src="${README_IMAGE_PATH}?url=${md.utils.escapeHtml(encodeURIComponent(raw))}" alt="${alt}" title="${src}" referrerpolicy="no-referrer">`;
  }
  if (remote) env.blocked++;
  return `<span class="readme-image-blocked" title="${src}">Image not loaded: ${alt}</span>`;
};

/** A rendered README. */
export interface RenderedReadme {
  html: string;
  /** https images shown as placeholders (0 when `showImages`): "Show images" is offered when > 0. */
  blockedImages: number;
}

/** Renders `markdown` to sanitised HTML; `showImages` loads https images through the image route. */
export function renderReadme(markdown: string, showImages = false): RenderedReadme {
  const env: RenderEnv = { showImages, blocked: 0 };
  const html = md.render(markdown, env);
  return { html, blockedImages: env.blocked };
}
