/**
 * The OS pickers behind `dialog.pick` (main/shell/ipc-handlers.ts): a `.tgz` for Install from
 * file…, a folder for Load unpacked… Both are modal to the settings window when it is open.
 */
import { dialog, type BrowserWindow } from 'electron';

/**
 * Shows the picker of `kind` over `parent` (if any).
 * @returns the chosen absolute path, or `null` when the user cancelled.
 */
export async function pickPath(kind: 'archive' | 'folder', parent: BrowserWindow | undefined): Promise<string | null> {
  const options: Electron.OpenDialogOptions = kind === 'archive'
    ? { title: 'Install plugin from file', buttonLabel: 'Install', properties: ['openFile'], filters: [{ name: 'Plugin archive (npm pack)', extensions: ['tgz'] }] }
    : { title: 'Load unpacked plugin', buttonLabel: 'Load', properties: ['openDirectory'] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
