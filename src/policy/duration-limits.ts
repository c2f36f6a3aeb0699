import { formatDuration, parseDuration } from "../time/duration.js";

/**
 * Upper bounds on the policy's durations. Past them a duration stops meaning anything: evidence a
 * month old says nothing about now, and a skew tolerance of hours lets future-dated evidence pass.
 * They also keep every time the engine derives (generated_at + max_age) a placeable date.
 */
export const MAX_AGE_LIMIT_SECONDS = 30 * 86_400;
export const SKEW_TOLERANCE_LIMIT_SECONDS = 3_600;

/**
 * A validated duration in seconds, clamped to `limit`. The schema refuses longer ones already;
 * the clamp is for a document that skipped it. Unparsable counts as 0 (stale at once, no skew):
 * the strict end, never the lax one.
 */
export function boundedSeconds(text: string, limit: number): number {
  return Math.min(parseDuration(text) ?? 0, limit);
}

export function describeLimit(limit: number): string {
  return `\`${formatDuration(limit)}\``;
}
