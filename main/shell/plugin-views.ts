/**
 * The shell's view models (preload/api.ts DTOs), built from the host core's modules: plugin
 * summaries for Settings, slot contributions with their module URL, the Running plugins rows,
 * jobs, webhooks, MCP status and the Recently uninstalled list. The host core keeps facts; how
 * the windows show them is decided here.
 */
import {
  SLOT_CAPABILITY, UNSANDBOXED_CAPABILITY, capabilityWords, describeCapability, type Capability, type SlotType,
} from '../../sdk/protocol/capabilities.ts';
import type {
  InstallResult, LauncherContribution, McpStatus, PermissionPrompt, PluginToolView, PluginJobView, PluginSummary, PluginWebhookView,
  RunningPluginRow, SlotContribution, UiContributions, UninstalledPlugin,
} from '../../preload/api.ts';
import type { Host } from '../host/host.ts';
import { reconcileRuntime } from '../host/lifecycle.ts';
import { declared, type PluginRecord } from '../host/plugin-catalog.ts';
import { measureProcess } from '../host/supervision/index.ts';
import { PLUGINS_PREFIX } from './app-protocol.ts';

/** Job runs shown per job in Settings. */
const JOB_HISTORY_SHOWN = 20;

/** Orders contributions by `order` (absent = 0), then by their own name, then plugin name (CONTRACT §8 "order"). */
function byOrder<T extends { pluginDisplayName: string; order?: number | undefined; name: string }>(a: T, b: T): number {
  return (a.order ?? 0) - (b.order ?? 0) || a.name.localeCompare(b.name) || a.pluginDisplayName.localeCompare(b.pluginDisplayName);
}

/** The parts of the host the views read. */
export type ViewHost = Pick<Host, 'catalog' | 'management' | 'supervisor' | 'services' | 'ops' | 'rateLimits' | 'registryPlugins' | 'permissions'>;

/** Builds the view models of one host. */
export function createPluginViews(host: ViewHost) {
  const { catalog, supervisor } = host;

  function summaryOf(r: PluginRecord): PluginSummary {
    const e = catalog.entry(r.id);
    const runtime = supervisor.runtime(r.id);
    const stored = r.problems.length > 0 ? 'error' : e?.state ?? 'installed';
    const shown = reconcileRuntime(stored, runtime);
    const error = r.problems.length > 0 ? r.problems.join('\n') : shown.problem ?? e?.lastError?.message ?? undefined;
    const m = r.manifest?.plinth;
    const pending = host.management.pendingUpgrade(r.id);
    const origin = host.registryPlugins.origin(r.id);
    const icon = iconUrl(r);
    return {
      id: r.id,
      displayName: r.displayName,
      ...(icon ? { pluginIcon: icon } : {}),
      version: r.version,
      description: r.description,
      source: r.source,
      state: shown.shown,
      runtime: runtime.state,
      enabled: e?.enabled ?? false,
      capabilities: capabilityWords(declared(r)),
      ...(error ? { error } : {}),
      warnings: r.warnings,
      ...(runtime.pid ? { pid: runtime.pid } : {}),
      path: r.dir,
      needsConsent: r.problems.length === 0 && catalog.unapproved(r).length > 0,
      configurable: !!m?.configSchema,
      ...(runtime.health ? { health: runtime.health } : {}),
      jobCount: m?.jobs?.length ?? 0, webhookCount: m?.webhooks?.length ?? 0, toolCount: m?.tools?.length ?? 0,
      ...(pending ? { pendingUpgrade: { version: pending.version, addedCapabilities: capabilityWords(pending.addedCapabilities) } } : {}),
      ...(origin ? { origin } : {}),
      unsandboxed: declared(r).includes(UNSANDBOXED_CAPABILITY),
      optionalCapabilities: capabilityWords(m?.optionalCapabilities ?? []),
      permissions: host.permissions.decisions(r.id).map((d) => ({
        capability: d.capability, description: describeCapability(d.capability as Capability), decision: d.decision, decidedAt: d.decidedAt,
      })),
    };
  }

  /** A plugin file as the app protocol serves it: `/plugins/<id>/<relative path>`. */
  const pluginUrl = (pluginId: string, relative: string) =>
    `${PLUGINS_PREFIX}${encodeURIComponent(pluginId)}/${relative.replace(/^\.\//, '')}`;

  /** The approved UI contributions of the ready plugins, in discovery order. */
  function collect(): UiContributions {
    const slots: SlotContribution[] = [];
    const launchers: LauncherContribution[] = [];
    for (const r of catalog.plugins.values()) {
      const ui = r.manifest?.plinth.ui;
      if (!ui || !catalog.isReady(r.id)) continue;
      // The manifest validator already refuses a slot without its capability; checked again here
      // against the approved set, so a grown manifest cannot add UI before consent.
      const granted = catalog.granted(r);
      const icon = iconUrl(r);
      const base = {
        pluginId: r.id, pluginDisplayName: r.displayName, moduleUrl: pluginUrl(r.id, ui.entry),
        ...(icon ? { pluginIcon: icon } : {}),
      };
      for (const slot of ui.slots ?? []) {
        if (granted.includes(SLOT_CAPABILITY[slot.type])) slots.push({ ...base, slot });
      }
      for (const launcher of ui.launchers ?? []) {
        if (granted.includes('ui.action.register')) launchers.push({ ...base, launcher });
      }
    }
    return { slots, launchers };
  }

  function contributions(): UiContributions {
    const { slots, launchers } = collect();
    slots.sort((a, b) => byOrder({ ...a, order: a.slot.order, name: a.slot.displayName }, { ...b, order: b.slot.order, name: b.slot.displayName }));
    launchers.sort((a, b) => byOrder({ ...a, name: a.launcher.displayName }, { ...b, name: b.launcher.displayName }));
    return { slots, launchers };
  }

  function mcpStatus(): McpStatus {
    const server = host.ops.mcpServer();
    return {
      enabled: !!server, url: server?.url ?? null, token: server?.token ?? null,
      tools: host.services.tools.list().map((t) => t.qualifiedName),
    };
  }

  /** The app-protocol URL of a plugin's manifest `icon`, if it has one. */
  function iconUrl(r: PluginRecord): string | undefined {
    const icon = r.manifest?.plinth.icon;
    return icon ? pluginUrl(r.id, icon) : undefined;
  }

  return {
    /** Runtime permission requests waiting for the user, with the plugin's name and icon and each capability in words. */
    permissionPrompts(): PermissionPrompt[] {
      return host.permissions.pending().map((p) => {
        const r = catalog.plugins.get(p.pluginId);
        const icon = r ? iconUrl(r) : undefined;
        return {
          requestId: p.requestId, pluginId: p.pluginId, pluginDisplayName: r?.displayName ?? p.pluginId,
          ...(icon ? { pluginIcon: icon } : {}),
          reason: p.reason, capabilities: capabilityWords(p.capabilities), requestedAt: p.requestedAt,
        };
      });
    },
    /** One plugin; throws `NOT_FOUND`. */
    summary: (pluginId: string): PluginSummary => summaryOf(catalog.record(pluginId)),
    /** Every discovered plugin, sorted by display name. */
    summaries(): PluginSummary[] {
      return [...catalog.plugins.values()].map(summaryOf)
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
    },
    /** The outcome of an install with the plugin as it now is. */
    installResult: (result: { outcome: InstallResult['outcome']; pluginId: string }): InstallResult =>
      ({ outcome: result.outcome, plugin: summaryOf(catalog.record(result.pluginId)) }),
    /** Slot contributions of enabled plugins of one slot type, in `order`; `moduleUrl` is served by the app protocol. */
    slots(slotType: SlotType): SlotContribution[] {
      return collect().slots.filter((c) => c.slot.type === slotType)
        .sort((a, b) => (a.slot.order ?? 0) - (b.slot.order ?? 0) || a.pluginDisplayName.localeCompare(b.pluginDisplayName));
    },
    /**
     * Every UI contribution of the enabled plugins (slots of all types and launchers), each list
     * in `order`, then its own name, then the plugin's name (CONTRACT §8 "order").
     */
    contributions,
    /** The Running plugins rows: every enabled plugin or running worker, with its process figures. */
    async running(): Promise<RunningPluginRow[]> {
      const rows = [...catalog.plugins.values()]
        .filter((r) => catalog.entry(r.id)?.enabled || supervisor.runtime(r.id).state !== 'stopped')
        .map(async (r): Promise<RunningPluginRow> => {
          const rt = supervisor.runtime(r.id);
          const stats = rt.pid ? await measureProcess(rt.pid) : { rssBytes: null, cpuPercent: null };
          return {
            pluginId: r.id, displayName: r.displayName, runtime: rt.state,
            ...(rt.pid ? { pid: rt.pid } : {}),
            ...(rt.state === 'running' && rt.startedAt ? { uptimeS: Math.round((Date.now() - rt.startedAt) / 1000) } : {}),
            ...(rt.activationMs !== undefined ? { activationMs: Math.round(rt.activationMs) } : {}),
            ...(stats.rssBytes !== null ? { rssMb: Math.round((stats.rssBytes / 1024 / 1024) * 10) / 10 } : {}),
            ...(stats.cpuPercent !== null ? { cpuPercent: Math.round(stats.cpuPercent * 10) / 10 } : {}),
            rpcCalls: rt.rpcCalls,
            ...(rt.p50LatencyMs !== undefined ? { p50LatencyMs: Math.round(rt.p50LatencyMs * 100) / 100 } : {}),
            restarts: rt.restarts,
            ...(rt.lastError ? { lastError: rt.lastError } : {}),
            eventsDropped: host.services.bus.stats(r.id).dropped,
            rateLimited: host.rateLimits.counts(r.id),
          };
        });
      return Promise.all(rows);
    },
    /** A plugin's declared jobs with their next run and recent runs. */
    jobs(pluginId: string): PluginJobView[] {
      const r = catalog.record(pluginId);
      const scheduler = host.services.jobs;
      return (r.manifest?.plinth.jobs ?? []).map((job) => ({
        jobKey: job.jobKey, displayName: job.displayName, schedule: job.schedule,
        nextRun: scheduler.nextRun(pluginId, job.jobKey)?.toISOString() ?? null,
        runs: scheduler.history(pluginId, job.jobKey, JOB_HISTORY_SHOWN).map(({ pluginId: _p, jobKey: _j, ...run }) => run),
      }));
    },
    /** A plugin's declared webhook endpoints with their URL (null while the server is not listening). */
    webhooks(pluginId: string): PluginWebhookView[] {
      const r = catalog.record(pluginId);
      return (r.manifest?.plinth.webhooks ?? []).map((w) => ({
        endpointKey: w.endpointKey, displayName: w.displayName, url: host.services.webhooks.urlFor(pluginId, w.endpointKey),
      }));
    },
    mcpStatus,
    /** The agent tools of ready plugins, sorted by qualified name, with the plugin's icon. */
    tools(): PluginToolView[] {
      return host.services.tools.list().map((entry) => {
        const r = catalog.plugins.get(entry.pluginId);
        const icon = r ? iconUrl(r) : undefined;
        return {
          qualifiedName: entry.qualifiedName, pluginId: entry.pluginId, pluginDisplayName: entry.pluginDisplayName,
          ...(icon ? { pluginIcon: icon } : {}),
          name: entry.tool.name, displayName: entry.tool.displayName, description: entry.tool.description,
          parametersSchema: entry.tool.parametersSchema,
        };
      });
    },
    /** The Recently uninstalled list. */
    uninstalled(): UninstalledPlugin[] {
      return host.management.listUninstalled()
        .map(({ id, displayName, version, uninstalledAt, purgeAfter }) => ({ id, displayName, version, uninstalledAt, purgeAfter }));
    },
  };
}

/** The view models of one host. */
export type PluginViews = ReturnType<typeof createPluginViews>;
