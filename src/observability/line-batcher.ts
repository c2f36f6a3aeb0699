/**
 * Gathers log lines written in one turn of the event loop into one write. Under a burst of
 * deliveries a write per line (a system call each, stderr being a pipe to journald) costs the
 * webhook about as much as verifying its signature. `flush` writes what is gathered at once.
 */
export function lineBatcher(write: (text: string) => void): { write: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    write(text);
  };
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
