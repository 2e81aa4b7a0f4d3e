/**
 * A package README rendered safely: markdown-it with raw HTML off (every `<tag>` in the
 * Markdown is shown as text, so no script, style or iframe can get in), its own link check
 * (only http, https and mailto links; `javascript:` and `data:` never), and images from the
 * internet left out: they show as a labelled placeholder, because loading them would tell the
 * image's server that you looked. Links open in the system browser after a confirm.
 */
import { useMemo, type MouseEvent, type ReactNode } from 'react';
import { renderReadme } from './readme-html.ts';

/** The README of a package; `onOpenLink` is called for a clicked http(s) link. */
export function Readme(props: { markdown: string; onOpenLink(url: string): void }): ReactNode {
  const html = useMemo(() => renderReadme(props.markdown), [props.markdown]);
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const anchor = (event.target as HTMLElement).closest('a');
    if (!anchor) return;
    event.preventDefault(); // the shell never navigates
    const href = anchor.getAttribute('href') ?? '';
    if (/^https?:/i.test(href)) props.onOpenLink(href);
  };
  if (!props.markdown.trim()) return <p className="muted">This package has no README.</p>;
  // Safe: markdown-it escapes all HTML in the source (html: false) and the link check above.
  return <div className="readme" data-testid="catalog-readme" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
