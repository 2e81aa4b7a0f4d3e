import type { PlinthBridge } from '../../preload/api.ts';

declare global {
  interface Window {
    /** The preload bridge (preload/bridge.ts); the shell's only way to reach main. */
    readonly plinth: PlinthBridge;
  }
}
