/** A DNS resolver for the address-guard tests, so they need no internet. */
import type { LookupFunction } from '../../main/host/services/http/address-guard.ts';

/** A resolver that answers from a table (host name → one address), as a rebinding DNS server would; other names are ENOTFOUND. */
export function fakeDns(table: Record<string, string>): LookupFunction {
  return (hostname, _options, callback) => {
    const address = table[hostname];
    if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}
