/**
 * The Electron preload: exposes `window.plinth` in the shell windows' main world. Bundled by
 * scripts/build.ts into one CommonJS file (sandboxed preloads cannot load relative modules).
 * Main pushes notifications on one channel; each call uses its own `plinth:<method>` channel,
 * answered by main/electron/ipc.ts.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge.ts';
import { EVENT_CHANNEL, IPC_CHANNEL_PREFIX } from './channels.ts';

contextBridge.exposeInMainWorld(
  'plinth',
  createBridge({
    invoke: (method, payload) => ipcRenderer.invoke(IPC_CHANNEL_PREFIX + method, payload),
    subscribe: (listener) => {
      ipcRenderer.on(EVENT_CHANNEL, (_event, message: { event: string; payload: unknown }) => listener(message.event, message.payload));
    },
    // Since Electron 32 a dropped File no longer carries `.path`; webUtils is the supported way.
    pathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
