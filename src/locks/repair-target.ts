import { quote } from "../diagnostics/diagnostic.js";
import type { LockTarget, RepairTarget } from "../receipts/receipt-schema.js";

/**
 * Repair targets as locks compare them. Pure: the verdict integration uses these too.
 *
 * A missing host or service is a wildcard: a lock on host `h` covers every service on `h`, and a
 * lock on service `s` covers `s` on every host. Two targets overlap unless they name different
 * hosts or different services; when in doubt, they conflict (the gate fails closed).
 */
export function normalizeRepairTarget(target: { host?: string | undefined; service?: string | undefined } | null | undefined): RepairTarget | null {
  if (target === null || target === undefined) return null;
  // Host names are case-insensitive and may carry the root's trailing dot; service names are not.
  const host = target.host?.trim().toLowerCase().replace(/\.$/, "");
  const service = target.service?.trim();
  const out: RepairTarget = {};
  if (host !== undefined && host !== "") out.host = host;
  if (service !== undefined && service !== "") out.service = service;
  return out.host === undefined && out.service === undefined ? null : out;
}

/**
 * The lock of a repair whose candidate names no target: such a repair may touch anything, so its
 * lease holds every host and every service, meeting every other lease (recorded as
 * `"repair_target":{"every":true}`; with no host and no service, the comparisons below make it a
 * wildcard for both). Only asked for by name (`acquire({ target: "every" })`): a target that
 * normalizes to nothing is a mistake, not this.
 */
export const EVERY_TARGET: LockTarget = Object.freeze({ every: true as const });

/** Whether `target` names no host and no service: every one of both (EVERY_TARGET). */
export function coversEverything(target: RepairTarget): boolean {
  return target.host === undefined && target.service === undefined;
}

export function targetsOverlap(a: RepairTarget, b: RepairTarget): boolean {
  const hosts = a.host === undefined || b.host === undefined || a.host === b.host;
  const services = a.service === undefined || b.service === undefined || unitName(a.service) === unitName(b.service);
  return hosts && services;
}

/**
 * systemd reads a unit name without a type as a `.service`: `openclaw-gateway` and
 * `openclaw-gateway.service` are one unit, so a lock on either covers both. Compared here, not
 * normalized where targets are recorded, so leases recorded either way before still meet.
 */
function unitName(service: string): string {
  return service.endsWith(".service") ? service.slice(0, -".service".length) : service;
}

/** `host \`iskra-1\`, service \`openclaw-gateway\`` */
export function describeRepairTarget(target: RepairTarget): string {
  const parts: string[] = [];
  parts.push(target.host === undefined ? "every host" : `host ${quote(target.host)}`);
  parts.push(target.service === undefined ? "every service" : `service ${quote(target.service)}`);
  return parts.join(", ");
}
