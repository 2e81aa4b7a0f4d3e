/** `/search?q=…`: tasks of every project whose title contains the words, with their project. */
import type { ReactNode } from 'react';
import { Link, useSearch } from 'wouter';
import { LoadStatus } from '../views/load-status.tsx';
import { PRIORITY_LABEL, PRIORITY_TONE, TASK_STATUS_LABEL } from '../views/labels.ts';
import { useAsync } from '../views/use-async.ts';

/** The search results. */
export function SearchPage(): ReactNode {
  const q = new URLSearchParams(useSearch()).get('q')?.trim() ?? '';
  const results = useAsync(() => (q ? window.plinth.listTasks({ titleContains: q }) : Promise.resolve([])), q);
  const overview = useAsync(() => window.plinth.workspaceOverview(), 'search-projects');
  const projectName = (id: string) => overview.data?.projects.find((p) => p.id === id)?.name ?? '';
  return (
    <section className="view" data-testid="search-page" data-loaded={results.data ? 'true' : 'false'} aria-labelledby="search-heading">
      <div className="page-heading"><h1 id="search-heading">{q ? `Tasks matching "${q}"` : 'Search tasks'}</h1></div>
      <LoadStatus loaded={results.data !== undefined} error={results.error} errorTitle="Could not search" testId="search" />
      {results.data && results.data.length === 0 && <p className="muted" data-testid="search-empty">{q ? 'No task matches.' : 'Type in the search box above.'}</p>}
      {results.data && results.data.length > 0 && (
        <ul className="search-results" data-testid="search-results">
          {results.data.map((t) => (
            <li key={t.id} data-testid="search-result">
              <Link href={`/tasks/${t.id}`}>{t.title}</Link>
              <span className="muted">{projectName(t.projectId)}</span>
              <span className="badge outline">{TASK_STATUS_LABEL[t.status]}</span>
              <span className={`badge ${PRIORITY_TONE[t.priority]}`}>{PRIORITY_LABEL[t.priority]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
