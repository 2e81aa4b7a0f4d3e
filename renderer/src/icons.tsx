/** Small inline icons (SVG, no external files, so the CSP stays `img-src 'self'`). */
import type { ReactNode } from 'react';

/** The Plinth mark: a plinth carrying blocks. */
export function LogoMark(): ReactNode {
  return (
    <svg className="logo-mark" width="28" height="28" viewBox="0 0 28 28" aria-hidden="true">
      <rect x="2" y="19" width="24" height="6" rx="2" fill="currentColor" opacity="0.9" />
      <rect x="5" y="11" width="8" height="6" rx="1.5" fill="currentColor" opacity="0.6" />
      <rect x="15" y="5" width="8" height="12" rx="1.5" fill="currentColor" opacity="0.75" />
    </svg>
  );
}

/** A gear for the settings button. */
export function GearIcon(): ReactNode {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 1 1-4 0v-.09a1.65 1.65 0 0 0-1-1.51 1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06a1.65 1.65 0 0 0 .33-1.82 1.65 1.65 0 0 0-1.51-1H3a2 2 0 1 1 0-4h.09a1.65 1.65 0 0 0 1.51-1 1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06a1.65 1.65 0 0 0 1.82.33h0a1.65 1.65 0 0 0 1-1.51V3a2 2 0 1 1 4 0v.09a1.65 1.65 0 0 0 1 1.51h0a1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06a1.65 1.65 0 0 0-.33 1.82v0a1.65 1.65 0 0 0 1.51 1H21a2 2 0 1 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1z" />
    </svg>
  );
}

/** An empty dashboard illustration. */
export function EmptyIcon(): ReactNode {
  return (
    <svg width="48" height="48" viewBox="0 0 48 48" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="6" y="8" width="16" height="14" rx="3" />
      <rect x="26" y="8" width="16" height="14" rx="3" strokeDasharray="4 3" />
      <rect x="6" y="26" width="36" height="14" rx="3" strokeDasharray="4 3" />
    </svg>
  );
}
