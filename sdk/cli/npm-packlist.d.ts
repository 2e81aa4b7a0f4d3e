/** The part of npm-packlist (npm's own "which files does `npm pack` take") the CLI uses; it ships no types. */
declare module 'npm-packlist' {
  /** The arborist node of the folder to pack: its path, parsed package.json and dependency edges. */
  interface PacklistTree { path: string; package: Record<string, unknown>; isProjectRoot: boolean; edgesOut: Map<string, unknown> }
  /** Paths (relative, `/`-separated) of the files `npm pack` would put in the archive. */
  export default function packlist(tree: PacklistTree, options?: { path?: string }): Promise<string[]>;
}
