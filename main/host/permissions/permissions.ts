/**
 * Runtime permission requests (API 1.1, CONTRACT §4), as Chrome's optional permissions: a
 * plugin lists capabilities in `plinth.optionalCapabilities` and asks for them with
 * `ctx.permissions.request(capabilities, reason)`; the shell shows the request and the user
 * allows or denies. Answers are remembered (permission-store.ts) and revocable; what is allowed
 * joins the plugin's capabilities in the guard from the next call on.
 *
 * `http.outbound:*` among the optional capabilities lets a plugin ask for one concrete host at a
 * time (`http.outbound:discord.com`), each remembered and revoked on its own.
 */
import {
  ANY_OUTBOUND_HOST, HTTP_OUTBOUND_PREFIX, isCapability, type Capability,
} from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { PermissionDecision, PermissionRecord, PermissionStore } from './permission-store.ts';

/**
 * How long a request waits for the user before it is answered as "not decided" (nothing is
 * remembered, the plugin may ask again): long enough to read and think, short enough that a
 * window left alone does not hold a worker's call for ever.
 */
export const PERMISSION_PROMPT_TIMEOUT_MS = 10 * 60_000;

/** A request waiting for the user, as the shell shows it. `requestedAt` is ISO 8601 UTC. */
export interface PendingPermissionRequest {
  requestId: string;
  pluginId: string;
  /** Only the capabilities the user has not answered yet, in request order. */
  capabilities: Capability[];
  reason: string;
  requestedAt: string;
}

/** What the permissions module needs from the host. */
export interface PermissionsDeps {
  store: PermissionStore;
  /** The plugin's `plinth.optionalCapabilities` (empty when it has none or is unknown). */
  optionalOf(pluginId: string): readonly string[];
  /** What the plugin holds without asking: declared in `plinth.capabilities` and approved at install. */
  heldFromStart(pluginId: string): readonly string[];
  /** Told after a request appears or goes, or an answer is recorded or revoked. */
  onChange(pluginId: string): void;
  /** True while a window can show a request to the user. */
  canAsk(): boolean;
  /** Injected for tests. */
  now?: () => Date;
  promptTimeoutMs?: number;
}

/** The permissions module of one host. */
export type Permissions = ReturnType<typeof createPermissions>;

/** True when `optional` (a plugin's `plinth.optionalCapabilities`) lets it ask for `capability`. */
export function isRequestable(optional: readonly string[], capability: string): boolean {
  if (optional.includes(capability)) return true;
  if (!capability.startsWith(HTTP_OUTBOUND_PREFIX) || !optional.includes(ANY_OUTBOUND_HOST)) return false;
  // "One host at a time": `*` grants concrete hosts only, never a wildcard.
  return !capability.slice(HTTP_OUTBOUND_PREFIX.length).startsWith('*.');
}

/** Creates the permissions module. */
export function createPermissions(deps: PermissionsDeps) {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.promptTimeoutMs ?? PERMISSION_PROMPT_TIMEOUT_MS;
  /** At most one waiting request per plugin, so a plugin cannot bury the user in prompts. */
  const pending = new Map<string, { request: PendingPermissionRequest; settle(decision: PermissionDecision | null): void }>();
  let nextId = 0;

  /** The plugin's remembered answers still covered by its current manifest. */
  function decisions(pluginId: string): PermissionRecord[] {
    const optional = deps.optionalOf(pluginId);
    return deps.store.of(pluginId).filter((r) => isRequestable(optional, r.capability));
  }

  /** Optional capabilities the user allowed and has not revoked. */
  function allowed(pluginId: string): Capability[] {
    return decisions(pluginId).filter((r) => r.decision === 'allowed').map((r) => r.capability as Capability);
  }

  function checkRequestable(pluginId: string, capability: string): void {
    if (capability === ANY_OUTBOUND_HOST) {
      throw new PlinthError('INVALID_INPUT', `ctx.permissions.request: ask for one host at a time, e.g. "http.outbound:discord.com", not "${ANY_OUTBOUND_HOST}"`);
    }
    if (!isCapability(capability)) {
      throw new PlinthError('INVALID_INPUT', `ctx.permissions.request: "${capability}" is not a capability (see docs/plugin-api.md §4)`);
    }
    const optional = deps.optionalOf(pluginId);
    if (capability.startsWith(`${HTTP_OUTBOUND_PREFIX}*.`) && optional.includes(ANY_OUTBOUND_HOST) && !optional.includes(capability)) {
      throw new PlinthError('INVALID_INPUT', `ctx.permissions.request: "${ANY_OUTBOUND_HOST}" lets a plugin ask for one host at a time, e.g. "http.outbound:discord.com", not "${capability}"; list a wildcard host in plinth.optionalCapabilities as it is to ask for it`);
    }
    if (!isRequestable(optional, capability)) {
      const hint = capability.startsWith(HTTP_OUTBOUND_PREFIX)
        ? `add it (or "${ANY_OUTBOUND_HOST}" to ask for any single host) to plinth.optionalCapabilities in package.json`
        : 'add it to plinth.optionalCapabilities in package.json';
      throw new PlinthError('CAPABILITY_DENIED', `Plugin "${pluginId}" asked for "${capability}", which it cannot request: ${hint}`, { capability });
    }
  }

  return {
    allowed,
    decisions,

    /**
     * Serves `ctx.permissions.request`. Capabilities held from the start or allowed before count
     * as granted at once; denied ones are not asked again; the rest are shown to the user in one
     * prompt, and Allow or Deny is remembered for each.
     *
     * @returns the requested capabilities the plugin holds afterwards, in request order.
     * @throws PlinthError `INVALID_INPUT` for a string that is no capability, `http.outbound:*` itself, or a wildcard host asked for through it;
     *   `CAPABILITY_DENIED` for one not covered by `plinth.optionalCapabilities`; `CONFLICT` while
     *   another request of the plugin waits; `NOT_READY` when no window can ask the user.
     */
    async request(pluginId: string, capabilities: readonly string[], reason: string): Promise<Capability[]> {
      const wanted = [...new Set(capabilities)];
      const fromStart = new Set(deps.heldFromStart(pluginId));
      for (const c of wanted) if (!fromStart.has(c)) checkRequestable(pluginId, c);
      const answered = new Map(decisions(pluginId).map((r) => [r.capability, r.decision]));
      const ask = wanted.filter((c) => !fromStart.has(c) && !answered.has(c)) as Capability[];
      const holds = () => {
        const held = new Set([...fromStart, ...allowed(pluginId)]);
        return wanted.filter((c) => held.has(c)) as Capability[];
      };
      if (ask.length === 0) return holds();
      if (pending.has(pluginId)) {
        throw new PlinthError('CONFLICT', `Plugin "${pluginId}" already has a permission request waiting for the user; await it before asking again`);
      }
      if (!deps.canAsk()) {
        throw new PlinthError('NOT_READY', `Plugin "${pluginId}" asked for ${ask.join(', ')}, but no Plinth window is open to ask the user; try again when the app's window is open`);
      }
      const request: PendingPermissionRequest = {
        requestId: `perm-${++nextId}`, pluginId, capabilities: ask, reason: reason.trim(), requestedAt: now().toISOString(),
      };
      const decision = await new Promise<PermissionDecision | null>((settle) => {
        const timer = setTimeout(() => settle(null), timeoutMs);
        timer.unref?.();
        pending.set(pluginId, { request, settle: (d) => { clearTimeout(timer); settle(d); } });
        deps.onChange(pluginId);
      });
      pending.delete(pluginId);
      if (decision) for (const c of ask) deps.store.set(pluginId, c, decision, now());
      deps.onChange(pluginId);
      return holds();
    },

    /** Requests waiting for the user, oldest first. */
    pending(): PendingPermissionRequest[] {
      return [...pending.values()].map((p) => ({ ...p.request, capabilities: [...p.request.capabilities] }))
        .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    },

    /**
     * The user's answer to a waiting request (remembered for each of its capabilities).
     * @throws PlinthError `NOT_FOUND` when no such request waits (answered already, timed out or cancelled).
     */
    answer(requestId: string, allow: boolean): void {
      const entry = [...pending.values()].find((p) => p.request.requestId === requestId);
      if (!entry) throw new PlinthError('NOT_FOUND', `The permission request ${requestId} is no longer waiting (answered, timed out or its plugin stopped)`);
      entry.settle(allow ? 'allowed' : 'denied');
    },

    /** Drops a plugin's waiting request without an answer (its worker stopped); nothing is remembered. */
    cancel(pluginId: string): void {
      pending.get(pluginId)?.settle(null);
    },

    /**
     * Forgets the user's answer for one capability: an allowed one is revoked at once (the guard
     * reads {@link allowed} on every call), a denied one may be asked for again.
     * @throws PlinthError `NOT_FOUND` when nothing is remembered for it.
     */
    revoke(pluginId: string, capability: string): void {
      if (!deps.store.remove(pluginId, capability)) {
        throw new PlinthError('NOT_FOUND', `Plugin "${pluginId}" has no remembered answer for "${capability}"`);
      }
      deps.onChange(pluginId);
    },

    /**
     * The end of a `CAPABILITY_DENIED` message for a capability the plugin could ask for
     * (capability-guard.ts `DenialExplainer`); `undefined` for one it must declare.
     */
    explainDenial(pluginId: string, capability: string): string | undefined {
      if (!isRequestable(deps.optionalOf(pluginId), capability)) return undefined;
      const decision = decisions(pluginId).find((r) => r.capability === capability)?.decision;
      if (decision === 'denied') return 'the user denied it; they can reset that in Settings → Plugins, after which the plugin may ask again';
      return `it is optional: ask the user for it first with ctx.permissions.request(["${capability}"], reason)`;
    },
  };
}
