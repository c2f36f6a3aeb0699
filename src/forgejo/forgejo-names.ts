/**
 * Forgejo tells owners, repositories and logins apart without regard to case: each is stored with
 * its `lower_name` (Go's strings.ToLower), which its routes and permission checks match, so
 * `/Root/Example` is `/root/example`. A webhook names them in the case they were created with, and
 * an operator may write them in another. Names Forgejo accepts are ASCII (letters, digits, `-`, `_`,
 * `.`), where JavaScript's lowercasing is the same.
 */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** Whether two logins, or two `owner/name`, are the same account or repository on Forgejo. */
export function sameName(a: string, b: string): boolean {
  return a === b || nameKey(a) === nameKey(b);
}

/**
 * Whether a configured list names this login or `owner/name`, in any case. The lists are a few
 * names long; looking through one costs less than a copy kept in step with it would.
 */
export function hasName(names: ReadonlySet<string>, name: string): boolean {
  if (names.has(name)) return true;
  const key = nameKey(name);
  for (const candidate of names) if (nameKey(candidate) === key) return true;
  return false;
}
