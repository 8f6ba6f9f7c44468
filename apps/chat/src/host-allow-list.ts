/**
 * HostAllowList: the names a request's Host header may carry. A web page on another site can make
 * a browser send requests to our loopback port after pointing its own DNS name at 127.0.0.1 (DNS
 * rebinding); such requests still carry that site's name in Host, so refusing unknown names keeps
 * them out. Allowed by default: localhost, 127.0.0.1 and [::1]; the server adds the address it is
 * bound to, and the CLI what --host, --allow-remote and --allow-host add. Reference: the DNS
 * rebinding defences of local dev servers (webpack-dev-server's allowedHosts, Jupyter's
 * allow_remote_access). Leaves out: wildcards and subdomain patterns.
 */

export const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"] as const;

/** Lower-cased host name of a Host header or an address: port removed, IPv6 in brackets. */
export function hostName(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end >= 0 ? host.slice(0, end + 1) : host;
  }
  // A bare IPv6 address (from an address, not a Host header) has several colons.
  if ((host.match(/:/g) ?? []).length > 1) return `[${host}]`;
  const colon = host.indexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

export class HostAllowList {
  private readonly names = new Set<string>();

  constructor(names: Iterable<string> = LOOPBACK_HOSTS) {
    for (const name of names) this.add(name);
  }

  /** Allows one more name or address (a port, if given, is ignored). */
  add(name: string): void {
    if (name.trim() !== "") this.names.add(hostName(name));
  }

  /** Whether a request with this Host header may be answered (a missing header may not). */
  allows(header: string | undefined): boolean {
    return header !== undefined && this.names.has(hostName(header));
  }

  get list(): string[] {
    return [...this.names];
  }
}
