/** Bumped whenever a rule changes what a verdict can be; recorded in every verdict and receipt. */
export const ENGINE_VERSION = "1.5.1";
