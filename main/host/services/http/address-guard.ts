/**
 * Where outbound plugin HTTP really goes: every address a host name resolves to, on every hop,
 * must be a public unicast address, so a declared host that resolves (or is rebound) to
 * loopback, a private network, link-local, multicast or another reserved range is refused
 * (DNS rebinding). The check runs inside the connection's own DNS lookup, so the address
 * checked is the address connected to. Only `localhost` may reach loopback, in Developer mode.
 * Ranges are ipaddr.js's (IANA special-purpose registries, RFC 6890): only `unicast` is public.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { PlinthError } from '@plinth/sdk/protocol/errors';

/** Node's `dns.lookup` signature as `net.connect({ lookup })` calls it. */
export type LookupFunction = (
  hostname: string, options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Host names that may reach loopback in Developer mode. */
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The ipaddr.js range of `address` (`unicast`, `private`, `loopback`, `linkLocal`, …), IPv4-mapped IPv6 taken as IPv4. */
export function addressRange(address: string): string {
  return ipaddr.process(address.replace(/^\[|\]$/g, '')).range();
}

/** True when `address` is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/** The refusal of `address` for `hostname`. */
export function addressRefusal(hostname: string, address: string): PlinthError {
  return new PlinthError(
    'NETWORK_ERROR',
    `Request to ${hostname} refused: it resolves to ${address} (${addressRange(address)}), not a public address; plugins reach only public addresses${LOOPBACK_NAMES.has(hostname) ? '' : ' (localhost only in Developer mode)'}`,
  );
}

/**
 * Checks an IP literal in a URL (a connection to it makes no DNS lookup).
 * @throws PlinthError `NETWORK_ERROR` when it is not public (loopback literals of localhost pass in Developer mode).
 */
export function checkLiteralHost(hostname: string, allowLoopback: boolean): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0) return;
  if (isPublicAddress(bare)) return;
  if (allowLoopback && LOOPBACK_NAMES.has(hostname) && addressRange(bare) === 'loopback') return;
  throw addressRefusal(hostname, bare);
}

/**
 * A `lookup` for `net.connect` that resolves with `resolve` (default `dns.lookup`) and fails
 * the connection when any resolved address is not public.
 *
 * @param allowLoopback read per lookup: true in Developer mode, letting `localhost` reach loopback.
 */
export function createGuardedLookup(allowLoopback: () => boolean, resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, result) => {
      if (error) return callback(error, '');
      const addresses = result as LookupAddress[];
      const loopbackOk = allowLoopback() && LOOPBACK_NAMES.has(hostname.toLowerCase());
      const bad = addresses.find((a) => !isPublicAddress(a.address) && !(loopbackOk && addressRange(a.address) === 'loopback'));
      // The PlinthError itself travels as the fetch failure's cause; the HTTP service rethrows it.
      if (bad) return callback(addressRefusal(hostname, bad.address) as NodeJS.ErrnoException, '');
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
