/**
 * How a row of the renderer → main method table (preload/main-methods.ts) is declared: the row
 * builders `method` and `voidMethod`, and the payload pieces (`f`) rows share, built with
 * main's zod. Runs in the preload and in main, so it imports no Node module, nothing from main
 * and zod as a type only.
 */
import type { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '../sdk/protocol/entities.ts';
import {
  MAX_ID_LENGTH, MAX_KEY_LENGTH, MAX_PATH_LENGTH, MAX_PLUGIN_ID_LENGTH, MAX_TEXT_BYTES, MAX_TITLE_LENGTH, MAX_TOKEN_LENGTH,
} from '../sdk/protocol/limits.ts';
import type { PreferencesView } from './api.ts';

/** Longest external link the shell opens in the browser. */
const MAX_URL_LENGTH = 2048;

/** One row of the method table (preload/main-methods.ts `MAIN_METHODS`). `R` is the result type (type-level only). */
export interface MethodRow<B extends string, S extends z.ZodType, A extends unknown[], R> {
  readonly bridge: B;
  readonly schema: (f: Fields) => S;
  readonly call: (...args: A) => z.input<S>;
  /** True when the method answers nothing: the bridge resolves with `undefined`. */
  readonly noResult: boolean;
  /** Type-level only (the value is `undefined`): what the method resolves with. */
  readonly result: R;
}

/** Declares a row whose method resolves with `R`. */
export function method<R>() {
  return <B extends string, S extends z.ZodType, A extends unknown[]>(row: { bridge: B; schema: (f: Fields) => S; call: (...args: A) => z.input<S> }): MethodRow<B, S, A, R> =>
    ({ ...row, noResult: false, result: undefined as R });
}

/** Declares a row whose method answers nothing. */
export function voidMethod() {
  return <B extends string, S extends z.ZodType, A extends unknown[]>(row: { bridge: B; schema: (f: Fields) => S; call: (...args: A) => z.input<S> }): MethodRow<B, S, A, void> =>
    ({ ...row, noResult: true, result: undefined });
}

/**
 * Node's `path.isAbsolute` for the platform main runs on (this module cannot import node:path):
 * POSIX paths start with `/`; Windows paths with `\`, `/` or a drive letter and a separator.
 */
function isAbsolutePath(p: string): boolean {
  const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
  return platform === 'win32' ? /^([A-Za-z]:)?[\\/]/.test(p) : p.startsWith('/');
}

/**
 * The payload pieces rows share, built with main's zod (`z`). Workspace payloads are bounded
 * with the workspace's own limits, so an oversized value never reaches the host; the workspace
 * service still checks everything (emptiness, exact UTF-8 size).
 */
export function sharedFields(z: Zod) {
  const noArgs = z.union([z.undefined(), z.null()]).transform(() => undefined);
  const pluginId = z.string().min(1).max(MAX_PLUGIN_ID_LENGTH);
  const key = z.string().min(1).max(MAX_KEY_LENGTH);
  const token = z.string().min(1).max(MAX_TOKEN_LENGTH);
  const pluginCall = z.strictObject({ pluginId, key, params: z.json() });
  const onePlugin = z.strictObject({ pluginId });
  const filePath = z.string().min(1).max(MAX_PATH_LENGTH)
    .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
    .refine((p) => isAbsolutePath(p), 'must be an absolute path (a file or folder on this computer)');
  const jsonObject = z.record(z.string(), z.json());
  const configCall = z.strictObject({ pluginId, values: jsonObject });
  /** A preferences patch: an object here; main's handler checks its keys and ranges with the preferences module's own rules. */
  const preferencesPatch = z.custom<Partial<PreferencesView>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object of preferences',
  );
  const must = (kind: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`);
  const entityId = z.string({ error: must('a string id') }).min(1, { error: 'must not be empty' })
    .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` });
  /** A name or title, trimmed as the workspace trims it. */
  const title = z.string({ error: must('a string') }).trim()
    .max(MAX_TITLE_LENGTH, { error: `must be at most ${MAX_TITLE_LENGTH} characters` });
  /** Free text. A UTF-16 code unit is at least one UTF-8 byte, so this length bound never refuses a text the service accepts. */
  const text = z.string({ error: must('a string') })
    .max(MAX_TEXT_BYTES, { error: `must be at most ${MAX_TEXT_BYTES} bytes` });
  const taskStatus = z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` });
  const taskPriority = z.enum(TASK_PRIORITIES, { error: `must be one of ${TASK_PRIORITIES.join(', ')}` });
  const projectInput = z.strictObject({ name: title, description: text.optional() });
  const taskInput = z.strictObject({ projectId: entityId, title, description: text.optional(), priority: taskPriority.optional() });
  const taskPatch = z.strictObject({ title: title.optional(), description: text.optional(), status: taskStatus.optional(), priority: taskPriority.optional() });
  /** Only web links leave the app: `file:`, `javascript:` or custom schemes could run something on this computer. */
  const externalUrl = z.string().max(MAX_URL_LENGTH).refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
  /** `<pluginId>/<slotId>` of one dashboard widget. */
  const widgetKey = z.string().min(3).max(MAX_PLUGIN_ID_LENGTH + MAX_KEY_LENGTH + 1);
  return {
    // Named as `Zod`: the parameter hides the import, so a declaration could not name its type otherwise.
    z: z as Zod, noArgs, pluginId, key, token, pluginCall, onePlugin, filePath, jsonObject, configCall, preferencesPatch,
    entityId, title, text, projectInput, taskInput, taskPatch, taskStatus, taskPriority, externalUrl, widgetKey,
  };
}
/** zod's namespace, as main passes it. */
export type Zod = typeof z;
/** What a row's `schema` function receives: zod itself (`f.z`) and the shared payload pieces. */
export type Fields = ReturnType<typeof sharedFields>;
