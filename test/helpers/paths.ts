import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const fixture = (relative: string): string => fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url));
