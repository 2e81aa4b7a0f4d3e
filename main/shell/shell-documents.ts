/**
 * The shell's window documents, in a module of its own (no Node imports) because both the app
 * protocol, which serves them, and the dev shell's browser bridge, which connects only from
 * them, read it.
 */

/** Shell documents a window may load (and, in `plinth-plugin dev`, whose bridge may connect). */
export const SHELL_DOCUMENTS: readonly string[] = ['/index.html', '/settings.html'];
