/**
 * The command palette (Ctrl/⌘+K): type to filter, ↑/↓ to choose, Enter to run, Esc to close.
 * Commands: go to each screen and project, core commands (new project, open settings), and
 * every launcher of the enabled plugins that needs no entity, and their agent tools: choosing a
 * tool shows its parameters form (./tool-form.tsx) in the palette, Back returns to the list.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { useStore } from 'zustand';
import type { PluginToolView } from '../../../preload/api.ts';
import { useModalDialog } from '../modal-dialog.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { useAsync } from '../views/use-async.ts';
import { contributionsStore } from './contributions.ts';
import { useShellActions } from './shell-actions.tsx';
import { ToolForm } from './tool-form.tsx';

/** One palette entry. */
interface Command { id: string; label: string; group: string; icon?: string | undefined; run(): void; keepOpen?: boolean }

/** Entries shown at most, so a huge workspace keeps the list quick. */
const MAX_SHOWN = 50;

/** The palette, open while mounted. */
export function CommandPalette(props: { onClose(): void }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [, setLocation] = useLocation();
  const { launch } = useShellActions();
  const slots = useStore(contributionsStore, (s) => s.slots);
  const launchers = useStore(contributionsStore, (s) => s.launchers);
  const overview = useAsync(() => window.plinth.workspaceOverview(), 'palette');
  const tools = useAsync(() => window.plinth.listTools(), 'palette-tools');
  const [tool, setTool] = useState<PluginToolView | null>(null);
  // A plugin enabled, disabled or reloaded while the palette is open brings or takes its tools.
  const reloadTools = tools.reload;
  useEffect(() => window.plinth.on('plugins.changed', () => void reloadTools()), [reloadTools]);
  useModalDialog(ref, props.onClose);

  const go = (to: string) => () => setLocation(to);
  const commands: Command[] = [
    { id: 'go:dashboard', label: 'Go to Dashboard', group: 'Navigation', run: go('/') },
    { id: 'go:projects', label: 'Go to Projects', group: 'Navigation', run: go('/projects') },
    ...(overview.data?.projects ?? []).map((p) => ({ id: `go:project:${p.id}`, label: `Open project ${p.name}`, group: 'Projects', run: go(`/projects/${p.id}`) })),
    ...slots.filter((s) => s.slot.type === 'page').map((s) => ({
      id: `go:page:${s.pluginId}/${s.slot.id}`, label: `Open ${s.slot.displayName}`, group: s.pluginDisplayName, icon: s.pluginIcon,
      run: go(`/plugins/${encodeURIComponent(s.pluginId)}/${encodeURIComponent(s.slot.id)}`),
    })),
    { id: 'core:settings', label: 'Open Settings', group: 'Commands', run: () => void window.plinth.openSettings() },
    ...launchers.filter((l) => !l.launcher.entityTypes?.length).map((l) => ({
      id: `launch:${l.pluginId}/${l.launcher.id}`, label: l.launcher.displayName, group: l.pluginDisplayName, icon: l.pluginIcon,
      run: () => void launch(l, {}),
    })),
    ...(tools.data ?? []).map((t) => ({
      id: `tool:${t.qualifiedName}`, label: `Run tool ${t.displayName}`, group: t.pluginDisplayName, icon: t.pluginIcon,
      run: () => setTool(t), keepOpen: true,
    })),
  ];
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = commands.filter((c) => words.every((w) => `${c.label} ${c.group}`.toLowerCase().includes(w))).slice(0, MAX_SHOWN);
  const current = Math.min(active, Math.max(shown.length - 1, 0));
  const run = (command: Command | undefined) => {
    if (!command) return;
    if (!command.keepOpen) props.onClose();
    command.run();
  };

  return (
    <dialog ref={ref} className="palette" aria-label="Command palette" data-testid="command-palette">
      {tool ? <ToolForm tool={tool} onBack={() => setTool(null)} /> : <>
      <input
        className="input palette-input" autoFocus placeholder="Type a command or a name…" aria-label="Command" data-testid="palette-input"
        role="combobox" aria-expanded="true" aria-controls={listId} aria-activedescendant={shown[current] ? `${listId}-${current}` : undefined}
        value={query}
        onChange={(e) => { setQuery(e.target.value); setActive(0); }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((current + (e.key === 'ArrowDown' ? 1 : -1) + shown.length) % Math.max(shown.length, 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(shown[current]);
          }
        }}
      />
      <ul id={listId} role="listbox" className="palette-list" aria-label="Commands">
        {shown.map((c, i) => (
          <li
            key={c.id} id={`${listId}-${i}`} role="option" aria-selected={i === current} data-testid="palette-item" data-command-id={c.id}
            className={`palette-item${i === current ? ' active' : ''}`} onMouseEnter={() => setActive(i)} onClick={() => run(c)}
          >
            {c.icon && <PluginIcon src={c.icon} />} <span>{c.label}</span> <span className="muted">{c.group}</span>
          </li>
        ))}
        {shown.length === 0 && <li className="muted palette-empty">No command matches.</li>}
      </ul>
      {tools.error && <p className="muted palette-empty" role="status">Plugin tools could not be listed: {tools.error}</p>}
      </>}
    </dialog>
  );
}
