import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/cli/errors.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";

// Some hosts and containers (Docker's default network) have no IPv6 loopback: the IPv6 test needs one.
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once("error", () => resolve(false));
  probe.listen(0, "::1", () => probe.close(() => resolve(true)));
});

let dir: string | null = null;
let server: TestServer | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
  if (dir !== null) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("serve: where it listens", () => {
  it("says so when the listen host is not an address of this machine, and leaves the data folder free", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-listen-"));
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const failed = await startTestServer({ PATCHWARDEN_LISTEN: "192.0.2.1:0" }, { listen: true }, dir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(ConfigError);
    expect((failed as Error).message).toBe("PATCHWARDEN_LISTEN: `192.0.2.1:0` cannot be listened on: `192.0.2.1` is not an address of this machine; give one of its addresses, `127.0.0.1`, or `0.0.0.0` for all");
    server = await startTestServer({}, { listen: false }, dir);
  });

  it.skipIf(!ipv6Loopback)("gives its address in brackets when it listens on IPv6 loopback", async () => {
    server = await startTestServer({ PATCHWARDEN_LISTEN: "[::1]:0" }, { listen: true });
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });
});
