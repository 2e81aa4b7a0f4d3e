/**
 * Adding plugins: **Install from file…** (a `.tgz` made by `npm pack`),
 * **Load unpacked…** (a folder, for authors) and dropping a `.tgz` on the window. Electron shows
 * the OS picker; where there is none (`dialog.pick` answers `NOT_READY`, as in the browser
 * harness) the same action shows a path field instead. Progress shows in a status region and
 * the host's error messages, which say what to do, in an alert; a refused downgrade offers
 * "Install anyway".
 */
import { useCallback, useId, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import type { PlinthBridge, PluginSummary } from '../../../preload/api.ts';

/** What the installer is doing; shown under the toolbar. */
export type InstallStatus =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string; downgrade?: { path: string; installedVersion: string; archiveVersion: string } };

type PickKind = 'archive' | 'folder';

/** The archive extension `npm pack` writes, the only file the installer takes. */
const ARCHIVE_EXTENSION = '.tgz';

function errorParts(error: unknown): { code: string; message: string; data: unknown } {
  const e = error as { code?: unknown; message?: unknown; data?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : 'INTERNAL',
    message: typeof e?.message === 'string' ? e.message : String(error),
    data: e?.data,
  };
}

function downgradeOf(error: unknown): { installedVersion: string; archiveVersion: string } | undefined {
  const { code, data } = errorParts(error);
  const d = data as { installedVersion?: unknown; archiveVersion?: unknown } | undefined;
  if (code !== 'CONFLICT' || typeof d?.installedVersion !== 'string' || typeof d.archiveVersion !== 'string') return undefined;
  return { installedVersion: d.installedVersion, archiveVersion: d.archiveVersion };
}

/** The installer's state and actions, shared by the toolbar and the window's drop zone. */
export interface Installer {
  status: InstallStatus;
  /** Which path field is open (no OS picker here), or `null`. */
  prompt: PickKind | null;
  choose(kind: PickKind): Promise<void>;
  install(kind: PickKind, path: string, allowDowngrade?: boolean): Promise<void>;
  installDropped(file: File): Promise<void>;
  closePrompt(): void;
  dismiss(): void;
}

/**
 * @param onAdded called with a plugin that was installed or loaded, so the caller can ask for
 *   consent right away (a plugin is off until the user allows it).
 */
export function useInstaller(bridge: PlinthBridge, onAdded: (plugin: PluginSummary) => void): Installer {
  const [status, setStatus] = useState<InstallStatus>({ kind: 'idle' });
  const [prompt, setPrompt] = useState<PickKind | null>(null);

  const install = useCallback(async (kind: PickKind, path: string, allowDowngrade?: boolean) => {
    setPrompt(null);
    setStatus({ kind: 'busy', text: kind === 'archive' ? 'Installing…' : 'Loading unpacked plugin…' });
    try {
      if (kind === 'folder') {
        const plugin = await bridge.loadUnpacked(path);
        setStatus({ kind: 'done', text: `Loaded ${plugin.displayName} ${plugin.version} from ${plugin.path}. Changes to its files reload it.` });
        onAdded(plugin);
        return;
      }
      const result = await bridge.installFromFile(path, allowDowngrade ? true : undefined);
      const { plugin } = result;
      if (result.outcome === 'upgrade_pending') {
        setStatus({ kind: 'done', text: `${plugin.displayName} ${plugin.pendingUpgrade?.version ?? ''} asks for more permissions: approve or decline it on its card.` });
      } else if (result.outcome === 'upgraded') {
        setStatus({ kind: 'done', text: `Updated ${plugin.displayName} to ${plugin.version}.` });
      } else {
        setStatus({ kind: 'done', text: `Installed ${plugin.displayName} ${plugin.version}.` });
        onAdded(plugin);
      }
    } catch (error) {
      const downgrade = kind === 'archive' && !allowDowngrade ? downgradeOf(error) : undefined;
      setStatus({ kind: 'error', text: errorParts(error).message, ...(downgrade ? { downgrade: { path, ...downgrade } } : {}) });
    }
  }, [bridge, onAdded]);

  const choose = useCallback(async (kind: PickKind) => {
    try {
      const path = await bridge.pick(kind);
      if (path) await install(kind, path);
    } catch (error) {
      if (errorParts(error).code === 'NOT_READY') setPrompt(kind);
      else setStatus({ kind: 'error', text: errorParts(error).message });
    }
  }, [bridge, install]);

  const installDropped = useCallback(async (file: File) => {
    if (!file.name.toLowerCase().endsWith(ARCHIVE_EXTENSION)) {
      setStatus({ kind: 'error', text: `"${file.name}" is not a plugin archive: drop the ${ARCHIVE_EXTENSION} file that npm pack (or plinth-plugin pack) makes.` });
      return;
    }
    const path = bridge.pathForFile(file);
    if (!path) {
      setStatus({ kind: 'error', text: `Could not find "${file.name}" on disk: drop it from your file manager, or use Install from file….` });
      return;
    }
    await install('archive', path);
  }, [bridge, install]);

  return {
    status, prompt, choose, install, installDropped,
    closePrompt: () => setPrompt(null),
    dismiss: () => setStatus({ kind: 'idle' }),
  };
}

/** The path field shown instead of the OS picker; the same action runs with the typed path. */
function PathField(props: { kind: PickKind; onSubmit(path: string): void; onCancel(): void }): ReactNode {
  const [value, setValue] = useState('');
  const inputId = useId();
  const hintId = useId();
  const isArchive = props.kind === 'archive';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) props.onSubmit(value.trim());
  };
  return (
    <form className="path-field card" onSubmit={submit} data-testid="path-field" data-kind={props.kind}>
      <label htmlFor={inputId}>{isArchive ? 'Path of the plugin archive (.tgz)' : 'Path of the plugin folder'}</label>
      <div className="path-field-row">
        <input
          id={inputId}
          className="input grow"
          value={value}
          autoFocus
          spellCheck={false}
          aria-describedby={hintId}
          placeholder={isArchive ? '/home/me/Downloads/my-plugin-1.0.0.tgz' : '/home/me/code/my-plugin'}
          onChange={(event) => setValue(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') props.onCancel();
          }}
        />
        <button type="submit" className="button primary" disabled={!value.trim()}>{isArchive ? 'Install' : 'Load'}</button>
        <button type="button" className="button secondary" onClick={props.onCancel}>Cancel</button>
      </div>
      <p className="hint" id={hintId}>
        {isArchive ? 'No file picker is available here: type the full path of the file npm pack made.' : 'No folder picker is available here: type the full path of the folder with its package.json.'}
      </p>
    </form>
  );
}

/** The toolbar, its path field and the status/alert regions. */
export function InstallToolbar(props: { installer: Installer }): ReactNode {
  const { installer } = props;
  const { status } = installer;
  const busy = status.kind === 'busy';
  return (
    <div className="install-area">
      <div className="view-toolbar" role="toolbar" aria-label="Add plugins">
        <button type="button" className="button primary" disabled={busy} data-testid="install-from-file" onClick={() => void installer.choose('archive')}>
          Install from file…
        </button>
        <button type="button" className="button secondary" disabled={busy} data-testid="load-unpacked" onClick={() => void installer.choose('folder')}>
          Load unpacked…
        </button>
        <span className="hint">or drop a .tgz on this window</span>
      </div>
      {installer.prompt && (
        <PathField
          key={installer.prompt}
          kind={installer.prompt}
          onSubmit={(path) => void installer.install(installer.prompt ?? 'archive', path)}
          onCancel={installer.closePrompt}
        />
      )}
      <div role="status" aria-live="polite" className="install-status" data-testid="install-status">
        {(status.kind === 'busy' || status.kind === 'done') && (
          <p className={status.kind === 'busy' ? 'busy' : 'done'} data-state={status.kind}>
            {status.text}
            {status.kind === 'done' && <button type="button" className="link-button" onClick={installer.dismiss}>Dismiss</button>}
          </p>
        )}
      </div>
      {status.kind === 'error' && (
        <div className="alert" role="alert" data-testid="install-error">
          <strong>{status.downgrade ? 'This is an older version' : 'Could not add the plugin'}</strong>
          <span>{status.text}</span>
          <div className="alert-actions">
            {status.downgrade && (
              <button type="button" className="button secondary small" data-testid="install-anyway" onClick={() => void installer.install('archive', status.downgrade!.path, true)}>
                Install {status.downgrade.archiveVersion} anyway
              </button>
            )}
            <button type="button" className="button secondary small" onClick={installer.dismiss}>Dismiss</button>
          </div>
        </div>
      )}
    </div>
  );
}

/** True when a drag carries files (not text or a link). */
function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** Wraps the window: dropping a `.tgz` anywhere installs it; an overlay shows while dragging. */
export function DropZone(props: { installer: Installer; children: ReactNode; onDropped?(): void }): ReactNode {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      className="drop-zone"
      data-testid="drop-zone"
      onDragEnter={(event) => {
        if (hasFiles(event)) setDragging(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault(); // accept the drop
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        // Leaving into a child is not leaving the window.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (!file) return;
        props.onDropped?.();
        void props.installer.installDropped(file);
      }}
    >
      {props.children}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop the .tgz to install it</p>
        </div>
      )}
    </div>
  );
}
