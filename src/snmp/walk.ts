/** Why a walk ended. */
export const WALK_STOP_REASONS = ['endOfSubtree', 'endOfMibView', 'nonIncreasingOid', 'maxVarbinds'] as const;
export type WalkStopReason = (typeof WALK_STOP_REASONS)[number];

export function inSubtree(root: string, oid: string): boolean {
  return oid.length > root.length && oid.charCodeAt(root.length) === DOT && oid.startsWith(root);
}

const DOT = 46;

/**
 * Lexicographic comparison of numeric OIDs, arc by arc. Walks call it once per varbind, on OIDs that share a
 * long prefix: only the arc where they first differ is looked at (arcs have no leading zeros, so the longer arc
 * is the larger number, and arcs of one length compare as text).
 */
export function compareOids(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  let k = 0;
  while (k < common && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  // One is a prefix of the other: an ancestor, or an arc that is a prefix of a longer (larger) arc.
  if (k === common) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  const endA = endOfArc(a, k);
  const endB = endOfArc(b, k);
  if (endA !== endB) return endA < endB ? -1 : 1;
  return a.charCodeAt(k) < b.charCodeAt(k) ? -1 : 1;
}

function endOfArc(oid: string, from: number): number {
  const dot = oid.indexOf('.', from);
  return dot < 0 ? oid.length : dot;
}
