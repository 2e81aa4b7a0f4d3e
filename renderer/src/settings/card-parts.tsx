/** Pieces of a plugin card in settings: the upgrade banner, health badge and disclosure sections. */
import { useId, useState, type ReactNode } from 'react';
import type { PluginSummary } from '../../../preload/api.ts';
import type { HealthResult } from '../../../sdk/protocol/rpc.ts';
import { UNSANDBOXED_CAPABILITY } from '../../../sdk/protocol/capabilities.ts';
import { FullAccessWarning } from './modal.tsx';

const HEALTH_LABEL: Record<HealthResult['status'], string> = { ok: 'Healthy', degraded: 'Degraded', error: 'Unhealthy' };
const HEALTH_TONE: Record<HealthResult['status'], string> = { ok: 'ok', degraded: 'warn', error: 'danger' };

/** The plugin's latest `onHealth` answer, with its message as the badge text's tail. */
export function HealthBadge(props: { health: HealthResult }): ReactNode {
  const { health } = props;
  return (
    <span className={`badge ${HEALTH_TONE[health.status]}`} data-testid="plugin-health" data-health={health.status} title={health.message}>
      {HEALTH_LABEL[health.status]}
      {health.message ? ` · ${health.message}` : ''}
    </span>
  );
}

/** Props of {@link UpgradeBanner}. */
export interface UpgradeBannerProps {
  plugin: PluginSummary;
  pending: boolean;
  onApprove(): void;
  onDecline(): void;
}

/**
 * `upgrade_pending`: the waiting version and what it adds. Approving installs
 * it; declining keeps the running version.
 */
export function UpgradeBanner(props: UpgradeBannerProps): ReactNode {
  const upgrade = props.plugin.pendingUpgrade;
  const headingId = useId();
  if (!upgrade) return null;
  // Full access is said once, in the warning; the list holds the rest.
  const fullAccess = upgrade.addedCapabilities.some((c) => c.capability === UNSANDBOXED_CAPABILITY);
  const others = upgrade.addedCapabilities.filter((c) => c.capability !== UNSANDBOXED_CAPABILITY);
  return (
    <section className="banner" aria-labelledby={headingId} data-testid="upgrade-banner" data-version={upgrade.version}>
      <h3 id={headingId}>Version {upgrade.version} is waiting for your approval</h3>
      <p>
        It asks for more than version {props.plugin.version} does. Until you approve, version {props.plugin.version} keeps running.
      </p>
      {fullAccess && <FullAccessWarning />}
      {others.length > 0 && (
        <>
          <p className="banner-subhead">It would also be able to:</p>
          <ul data-testid="upgrade-capabilities">
            {others.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
          </ul>
        </>
      )}
      <div className="banner-actions">
        <button type="button" className="button primary small" disabled={props.pending} data-testid="upgrade-approve" onClick={props.onApprove}>
          Approve and update
        </button>
        <button type="button" className="button secondary small" disabled={props.pending} data-testid="upgrade-decline" onClick={props.onDecline}>
          Decline
        </button>
      </div>
    </section>
  );
}

/** Props of {@link Disclosure}. */
export interface DisclosureProps {
  label: string;
  /** Used in test ids: `<name>-toggle`, `<name>-section`. */
  name: string;
  children: () => ReactNode;
}

/** A button that shows and hides a section (mounted only while shown, so hidden views do not poll). */
export function Disclosure(props: DisclosureProps): ReactNode {
  const [open, setOpen] = useState(false);
  const regionId = useId();
  return (
    <div className={`disclosure ${open ? 'open' : ''}`}>
      <button
        type="button"
        className="disclosure-toggle"
        aria-expanded={open}
        aria-controls={regionId}
        data-testid={`${props.name}-toggle`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
        {props.label}
      </button>
      {open && (
        <div id={regionId} role="region" aria-label={props.label} className="disclosure-body" data-testid={`${props.name}-section`}>
          {props.children()}
        </div>
      )}
    </div>
  );
}
