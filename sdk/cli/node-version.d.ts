/** Why this Node cannot run the CLI (it needs type stripping, Node ≥ 22.18), or `undefined` when it can. */
export function nodeVersionProblem(version: string): string | undefined;
