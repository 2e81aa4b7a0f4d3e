// Plain JavaScript on purpose: it must run on any Node to explain that the CLI needs a newer one.

/** Oldest Node that runs .ts files without flags (type stripping on by default since 22.18). */
const MINIMUM = [22, 18];

/**
 * Why this Node cannot run the CLI, or undefined when it can.
 * @param {string} version a Node version such as process.versions.node ("24.1.0")
 * @returns {string | undefined}
 */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = String(version).split('.').map((n) => Number.parseInt(n, 10) || 0);
  const ok = major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
  return ok
    ? undefined
    : `Plinth's CLI needs Node 24 (see .nvmrc); this is Node ${version}. Node ${MINIMUM.join('.')} or newer also works.`;
}
