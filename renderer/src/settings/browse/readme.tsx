/**
 * A package README rendered safely: markdown-it with raw HTML off (every `<tag>` in the
 * Markdown is shown as text, so no script, style or iframe can get in), its own link check
 * (only http, https and mailto links; `javascript:` and `data:` never), and images from the
 * internet left out unless the user allows them: they show as a labelled placeholder, because
 * loading them would tell the image's server that you looked. "Show images" loads them for
 * this README only (not remembered); the `readmeRemoteImages` preference loads them always.
 * Allowed images come through the main process (no cookies, no referrer, public addresses
 * only). Links open in the system browser after a confirm.
 */
import { useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { renderReadme } from './readme-html.ts';

/**
 * The README of a package. `remoteImages`: the preference (images load at once);
 * `onOpenLink` is called for a clicked http(s) link. Give it a `key` per package so
 * "Show images" does not carry over to the next README.
 */
export function Readme(props: { markdown: string; remoteImages: boolean; onOpenLink(url: string): void }): ReactNode {
  const [shown, setShown] = useState(false);
  const showImages = props.remoteImages || shown;
  const rendered = useMemo(() => renderReadme(props.markdown, showImages), [props.markdown, showImages]);
  const container = useRef<HTMLDivElement>(null);
  // An image the route refused (not an image, too large, a private address…) becomes a placeholder
  // instead of a broken-image icon. Attached in the same commit as the HTML: an image's error
  // event is dispatched in a later task, so none is missed.
  useLayoutEffect(() => {
    const root = container.current;
    if (!root) return;
    const onError = (event: Event) => {
      const img = event.target;
      if (!(img instanceof HTMLImageElement) || !img.classList.contains('readme-image')) return;
      const placeholder = document.createElement('span');
      placeholder.className = 'readme-image-blocked';
      placeholder.title = img.title;
      placeholder.dataset.failed = 'true';
      placeholder.textContent = `Image could not be loaded: ${img.alt}`;
      img.replaceWith(placeholder);
    };
    root.addEventListener('error', onError, true);
    return () => root.removeEventListener('error', onError, true);
  }, [rendered.html]);
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const anchor = (event.target as HTMLElement).closest('a');
    if (!anchor) return;
    event.preventDefault(); // the shell never navigates
    const href = anchor.getAttribute('href') ?? '';
    if (/^https?:/i.test(href)) props.onOpenLink(href);
  };
  if (!props.markdown.trim()) return <p className="muted">This package has no README.</p>;
  return (
    <>
      {rendered.blockedImages > 0 && (
        <div className="readme-images-bar" data-testid="readme-images-bar">
          <span className="muted">
            {rendered.blockedImages === 1 ? '1 image not loaded: loading it tells its server' : `${rendered.blockedImages} images not loaded: loading them tells their servers`} that you looked.
          </span>
          <button type="button" className="button secondary" data-testid="readme-show-images" onClick={() => setShown(true)}>Show images</button>
        </div>
      )}
      {/* Safe: markdown-it escapes all HTML in the source (html: false) and the link check above. */}
      <div ref={container} className="readme" data-testid="catalog-readme" data-images={showImages ? 'shown' : 'blocked'} onClick={onClick} dangerouslySetInnerHTML={{ __html: rendered.html }} />
    </>
  );
}
