/**
 * How `serve` sizes V8's heap, for #4's budget of 150 MB resident under a flood of deliveries.
 * With node's defaults the gate peaked at 137–170 MB: the young generation grew to its 32 MB
 * maximum, and V8 let the old one reach about twice what survived its last full collection, mostly
 * request state that had outlived two young collections. Measured by `npm run bench -- webhook`
 * (docs/benchmarks.md), the two settings below together keep the peak at 108–130 MB, for about 5%
 * more CPU per delivery in the median of four paired runs, within the machine's noise.
 */

/**
 * Node flags for the command line that starts `serve` (`npm start`, the systemd unit, the
 * benchmark; tests hold them to this list). V8 sizes the young generation once, when it starts, so
 * this cannot be set from inside: 8 MB semi-spaces, a 16 MB young generation.
 */
export const SERVE_NODE_FLAGS = ["--max-semi-space-size=8"] as const;

/**
 * How far the old generation may grow past what survived its last full collection, in percent.
 * Without a cap on it, the smaller young generation alone raised the peak (more reaches the old
 * generation, and it grew to twice that before collecting): 180–198 MB.
 */
export const HEAP_GROWING_PERCENT = 50;

// V8 takes its flags with dashes or underscores, and a value after `=` or as the next argument.
const OPERATOR_SETTING = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * The V8 flag `serve` sets at start (V8 reads it at every full collection, so it takes effect from
 * inside), or null when the operator started node with their own: theirs wins. Node refuses the
 * flag in NODE_OPTIONS, so the command line is the only place it can come from.
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | null {
  return execArgv.some((arg) => OPERATOR_SETTING.test(arg)) ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}
