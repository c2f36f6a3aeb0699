/**
 * The hashes of the last receipts a process verified or wrote, by seq, in a fixed ring: a head a
 * little behind the end of the log is checked against them without reading the log back.
 */
export class RecentHashes {
  private slots: ({ seq: number; hash: string } | undefined)[];

  constructor(readonly capacity: number) {
    this.slots = new Array<undefined>(capacity);
  }

  set(seq: number, hash: string): void {
    this.slots[seq % this.capacity] = { seq, hash };
  }

  /** The hash of receipt `seq`, or null when it is not one of the last `capacity` kept. */
  get(seq: number): string | null {
    const slot = this.slots[seq % this.capacity];
    return slot !== undefined && slot.seq === seq ? slot.hash : null;
  }

  /** Takes over what `other` holds (a pass that verified), newer entries replacing older ones. */
  merge(other: RecentHashes): void {
    for (const slot of other.slots) if (slot !== undefined) this.set(slot.seq, slot.hash);
  }

  clear(): void {
    this.slots = new Array<undefined>(this.capacity);
  }
}
