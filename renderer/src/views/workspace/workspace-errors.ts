/**
 * Host errors in the words of the Workspace view. The host's messages name the method and the
 * field (`tasks.create: title must not be empty`, `Invalid input for workspace.createTask:
 * title: must be at most 500 characters`); the person filling a form needs only the field and
 * what to fix (`Title must not be empty`). Pure, so it is cheap to reason about.
 */
import { errorMessage } from '../format.ts';

/** `Invalid input for workspace.createTask: ` (the IPC schema's prefix). */
const IPC_PREFIX = /^Invalid input for [\w.]+: /;
/** `tasks.create: ` (the workspace service's method prefix). */
const METHOD_PREFIX = /^[a-z]+\.[a-zA-Z]+: /;
/** Field paths inside a call's arguments, which the form does not show: `patch.status` → `status`. */
const ARGUMENT_PREFIX = /^(patch|input)\./;
/** The IPC schema writes `field: problem`; the service `field problem`. */
const FIELD_COLON = /^([a-zA-Z][\w.]*): /;

/** One problem of a message, as a sentence starting with the field: `title: must …` → `Title must …`. */
function plainProblem(problem: string): string {
  const text = problem.trim().replace(ARGUMENT_PREFIX, '').replace(FIELD_COLON, '$1 ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The message of a failed workspace call, without the method names: each `;`-separated problem
 * becomes a sentence starting with the field it names.
 */
export function workspaceErrorMessage(error: unknown): string {
  const raw = errorMessage(error);
  // One prefix or the other: after the IPC prefix comes a field path (`patch.status: …`), not a method.
  const message = IPC_PREFIX.test(raw) ? raw.replace(IPC_PREFIX, '') : raw.replace(METHOD_PREFIX, '');
  return message.split('; ').map(plainProblem).join('. ');
}
