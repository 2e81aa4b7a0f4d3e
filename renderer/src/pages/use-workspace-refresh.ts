/** Reloads a page's data when plugins change (a plugin may have written to the workspace). */
import { useEffect, useState } from 'react';

/** Calls `reload` on `plugins.changed`; returns a counter bumped after each reload (for nested threads). */
export function useWorkspaceRefresh(reload: () => Promise<void>): number {
  const [generation, setGeneration] = useState(0);
  useEffect(() => window.plinth.on('plugins.changed', () => {
    void reload().then(() => setGeneration((g) => g + 1));
  }), [reload]);
  return generation;
}
