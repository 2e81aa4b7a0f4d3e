/**
 * A manifest problem: one thing a plugin author has to fix (an error) or may want to look at
 * (a warning), always naming the field of `package.json` it is about.
 */

/** One manifest problem. `field` is a path into `package.json`, e.g. `plinth.ui.slots[0].type`. */
export interface Problem {
  /** Where: a dotted path with `[i]` indices, or `package.json` / `folder` for file-level problems. */
  field: string;
  /** What is wrong, written to follow the offending value: `"../x.js" resolves outside the plugin folder`. */
  message: string;
  /** The offending value, when there is one (printed as JSON, shortened). */
  value?: unknown;
}

/** Longest rendering of a value in a problem line; longer ones are cut with an ellipsis. */
const MAX_VALUE_CHARS = 80;

/** Renders a value for a problem line: JSON, cut to {@link MAX_VALUE_CHARS}. */
function renderValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * One line for a problem: `field: <value> message`, e.g.
 * `plinth.worker: "../x.js" resolves outside the plugin folder`, or `field: message` when the
 * problem has no value (`plinth.displayName: is required`).
 */
export function formatProblem(problem: Problem): string {
  return 'value' in problem && problem.value !== undefined
    ? `${problem.field}: ${renderValue(problem.value)} ${problem.message}`
    : `${problem.field}: ${problem.message}`;
}

/** Joins a path of keys and indices the way problems name fields: `plinth.ui.slots[0].type`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'package.json' : out;
}

/** Builds a problem, leaving `value` out when it is `undefined` (so "is required" reads right). */
export function problem(field: string, message: string, value?: unknown): Problem {
  return value === undefined ? { field, message } : { field, message, value };
}
