import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/cli/errors.js";
import { unusablePathError } from "../../src/cli/path-errors.js";

function fsError(code: string, fields: { path?: string; dest?: string; syscall?: string }): Error {
  return Object.assign(new Error(`${code}: failed`), { code, ...fields });
}

describe("a file-system refusal on a path becomes a ConfigError naming the path and what to do", () => {
  it("EPERM is a permission problem, as EACCES is", () => {
    const error = unusablePathError(fsError("EPERM", { path: "/srv/data/receipts", syscall: "open" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toBe("`/srv/data/receipts`: permission denied; run the command as the user the data belongs to (e.g. `sudo -u patchwarden patchwarden …`), or fix the permissions");
  });

  it("EEXIST from mkdir says a file is where a folder belongs", () => {
    const error = unusablePathError(fsError("EEXIST", { path: "/srv/data", syscall: "mkdir" }));
    expect(error!.message).toBe("`/srv/data`: is a file, not a folder; check the path");
  });

  it("EEXIST from a rename or link names the destination that exists, not the source", () => {
    const error = unusablePathError(fsError("EEXIST", { path: "/srv/data/tmp-1", dest: "/srv/data/receipts.head", syscall: "link" }));
    expect(error!.message).toBe("`/srv/data/receipts.head`: already exists; choose another path, or move it away first");
  });

  it("an error with no path and no folder to name is left as it is", () => {
    expect(unusablePathError(fsError("EACCES", {}))).toBeNull();
    expect(unusablePathError(fsError("ENOENT", { path: "/srv/data" }))).toBeNull();
  });
});
