/**
 * READMEs as sanitised HTML: markdown-it with raw HTML off (every `<tag>` in the Markdown is
 * shown as text, so no script, style or iframe gets in), only http, https, mailto and `#`
 * links, and images from the internet replaced by a labelled placeholder, since loading one
 * would tell its server that you looked. Pure, so it is unit-tested in Node.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const SAFE_LINK = /^(https?:|mailto:|#)/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim());
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const alt = md.utils.escapeHtml(token.content || 'image');
  const src = md.utils.escapeHtml(String(token.attrGet('src') ?? ''));
  return `<span class="readme-image-blocked" title="${src}">Image not loaded: ${alt}</span>`;
};

/** Renders `markdown` to sanitised HTML (exported for its unit test). */
export function renderReadme(markdown: string): string {
  return md.render(markdown);
}

