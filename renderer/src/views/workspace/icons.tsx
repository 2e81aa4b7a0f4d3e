/** Small inline icons of the Workspace view (SVG, no files, so the CSP stays `img-src 'self'`). Decorative: the button's label names the action. */
import type { ReactNode } from 'react';

const STROKE = { fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

/** A bin, for delete buttons. */
export function TrashIcon(): ReactNode {
  return (
    <svg width="15" height="15" viewBox="0 0 24 24" {...STROKE} aria-hidden="true">
      <path d="M3 6h18M8 6V4a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v2M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6" />
    </svg>
  );
}

/** A chevron that points right, turned down by CSS while its row is open. */
export function ChevronIcon(): ReactNode {
  return (
    <svg className="task-chevron" width="14" height="14" viewBox="0 0 24 24" {...STROKE} aria-hidden="true">
      <path d="M9 6l6 6-6 6" />
    </svg>
  );
}

/** A plus, for "New …" buttons. */
export function PlusIcon(): ReactNode {
  return (
    <svg width="15" height="15" viewBox="0 0 24 24" {...STROKE} aria-hidden="true">
      <path d="M12 5v14M5 12h14" />
    </svg>
  );
}
