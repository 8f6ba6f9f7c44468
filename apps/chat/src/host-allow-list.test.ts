import { describe, expect, it } from "vitest";
import { HostAllowList, hostName } from "./host-allow-list.js";

describe("HostAllowList", () => {
  it("allows the loopback names with any port and refuses others", () => {
    const hosts = new HostAllowList();
    for (const ok of ["localhost", "localhost:8787", "127.0.0.1:1", "[::1]:8787", "[::1]", "LOCALHOST:80"]) {
      expect(hosts.allows(ok), ok).toBe(true);
    }
    for (const no of ["evil.example", "evil.example:8787", "127.0.0.2:8787", "localhost.evil.example", ""]) {
      expect(hosts.allows(no), no).toBe(false);
    }
    expect(hosts.allows(undefined)).toBe(false);
  });

  it("adds names and addresses, IPv6 ones bracketed", () => {
    const hosts = new HostAllowList();
    hosts.add("192.168.1.20");
    hosts.add("fe80::1");
    hosts.add("chat.lan:8787");
    expect(hosts.allows("192.168.1.20:8787")).toBe(true);
    expect(hosts.allows("[fe80::1]:8787")).toBe(true);
    expect(hosts.allows("chat.lan")).toBe(true);
    expect(hostName("fe80::1")).toBe("[fe80::1]");
    expect(hostName("Example.COM:443")).toBe("example.com");
  });
});
