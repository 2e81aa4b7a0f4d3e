/** The harness's config as the app keeps it: secret fields sealed into references. */
import type { HostServices } from '@plinth/host/host-services';
import { PlinthError } from '../protocol/errors.ts';
import type { JsonObject } from '../protocol/json.ts';
import type { PluginManifest } from '../protocol/manifest.ts';

/**
 * `config` with `secrets` merged in and every secret field (a `configSchema` property with
 * `"format": "secret"`) stored encrypted and replaced by its reference, as Settings saves it,
 * so `ctx.config.get()` shows references and `ctx.secrets.resolve` returns the values.
 * @throws PlinthError `INVALID_INPUT` for a `secrets` name that is not a secret property of `configSchema`
 */
export function sealHarnessConfig(
  secrets: HostServices['secrets'], pluginId: string, manifest: PluginManifest, config: JsonObject, values: Record<string, string>,
): JsonObject {
  const properties = (manifest.plinth.configSchema?.properties ?? {}) as Record<string, { format?: unknown } | undefined>;
  for (const name of Object.keys(values)) {
    if (properties[name]?.format !== 'secret') {
      throw new PlinthError('INVALID_INPUT', `secrets.${name}: plinth.configSchema of "${pluginId}" has no secret property "${name}" (one with "format": "secret")`);
    }
  }
  return secrets.sealConfig(pluginId, { ...structuredClone(config), ...values });
}
