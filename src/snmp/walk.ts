/** Why a walk ended. */
export const WALK_STOP_REASONS = ['endOfSubtree', 'endOfMibView', 'nonIncreasingOid', 'maxVarbinds'] as const;
export type WalkStopReason = (typeof WALK_STOP_REASONS)[number];

export function inSubtree(root: string, oid: string): boolean {
  return oid.startsWith(`${root}.`);
}

/** Lexicographic comparison of numeric OIDs, arc by arc (scanned in place: walks call it once per varbind). */
export function compareOids(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const arcEndA = endOfArc(a, i);
    const arcEndB = endOfArc(b, j);
    // Arcs have no leading zeros, so a longer arc is a larger number; equal lengths compare as text.
    const lengthDiff = arcEndA - i - (arcEndB - j);
    if (lengthDiff !== 0) return lengthDiff < 0 ? -1 : 1;
    for (let k = 0; k < arcEndA - i; k++) {
      const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    i = arcEndA + 1;
    j = arcEndB + 1;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  return restA === restB ? 0 : restA ? 1 : -1;
}

function endOfArc(oid: string, from: number): number {
  const dot = oid.indexOf('.', from);
  return dot < 0 ? oid.length : dot;
}
