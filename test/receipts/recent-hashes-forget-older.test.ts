import { describe, expect, it } from "vitest";
import { RecentHashes } from "../../src/receipts/recent-hashes.js";

const hashOf = (seq: number) => `sha256:${String(seq).padStart(64, "0")}`;

describe("the ring of recent receipt hashes", () => {
  it("answers for the last `capacity` receipts and knows nothing of older ones, never another receipt's hash", () => {
    const recent = new RecentHashes(4);
    for (let seq = 1; seq <= 6; seq++) recent.set(seq, hashOf(seq));
    expect([3, 4, 5, 6].map((seq) => recent.get(seq))).toEqual([3, 4, 5, 6].map(hashOf));
    // Receipts 1 and 2 share slots with 5 and 6: forgotten, not answered with 5's or 6's hash.
    expect(recent.get(1)).toBeNull();
    expect(recent.get(2)).toBeNull();
    expect(recent.get(10)).toBeNull();
  });

  it("takes over what another ring verified, and forgets everything when cleared", () => {
    const recent = new RecentHashes(4);
    recent.set(1, hashOf(1));
    const pass = new RecentHashes(4);
    for (let seq = 2; seq <= 4; seq++) pass.set(seq, hashOf(seq));
    recent.merge(pass);
    expect([1, 2, 3, 4].map((seq) => recent.get(seq))).toEqual([1, 2, 3, 4].map(hashOf));
    recent.clear();
    expect([1, 2, 3, 4].map((seq) => recent.get(seq))).toEqual([null, null, null, null]);
  });
});
