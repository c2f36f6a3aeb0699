import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Who holds an inter-process lock, precisely enough to tell a dead holder from a live one: a pid
 * alone is reused after a reboot or a long uptime, so the boot and the process's start time
 * (Linux `/proc`) are recorded too when the system offers them.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** `/proc/sys/kernel/random/boot_id`: a pid from another boot is dead whatever it says. */
  boot?: string;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks after boot): tells a reused pid from its first owner. */
  started?: string;
}

export type Liveness = "alive" | "dead" | "unknown";

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  if (self === undefined || self.pid !== process.pid) {
    const identity: ProcessIdentity = { pid: process.pid, host: hostname() };
    const boot = bootId();
    if (boot !== undefined) identity.boot = boot;
    const started = startTime(process.pid);
    if (started !== undefined) identity.started = started;
    self = identity;
  }
  return self;
}

/** `unknown` for a process on another host: nothing here can see it, so the caller judges by age. */
export function liveness(holder: ProcessIdentity): Liveness {
  const me = currentProcess();
  if (holder.host !== me.host) return "unknown";
  if (holder.boot !== undefined && me.boot !== undefined && holder.boot !== me.boot) return "dead";
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return "dead";
  }
  if (holder.started !== undefined) {
    const started = startTime(holder.pid);
    if (started !== undefined && started !== holder.started) return "dead";
  }
  return "alive";
}

export function describeHolder(holder: ProcessIdentity): string {
  return `pid ${holder.pid} on ${holder.host}`;
}

export function isProcessIdentity(value: unknown): value is ProcessIdentity {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(record["pid"]) &&
    typeof record["host"] === "string" &&
    (record["boot"] === undefined || typeof record["boot"] === "string") &&
    (record["started"] === undefined || typeof record["started"] === "string")
  );
}

function bootId(): string | undefined {
  try {
    const text = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses; fields after the last `)` are plain.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state), so field 22 is fields[19].
    return fields[19];
  } catch {
    return undefined;
  }
}
