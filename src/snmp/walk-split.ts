/**
 * Where a parallel walk splits its subtree: at the branches the loaded MIBs know under the root, and for a
 * table at its columns. The branch with the most known nodes is split first, until there are `wanted`
 * ranges or nothing left to split. A branch with a single child is looked through (ifTable → ifEntry → the
 * columns). Pure: the MIB's node OIDs come in, split points go out.
 */
import { compareOids } from './walk.ts';

interface Branch {
  oid: string;
  arcs: number;
  /** Its known nodes (itself included when known): known[from, to). */
  from: number;
  to: number;
  /** Nothing under it to split at. */
  leaf: boolean;
}

/**
 * Split points b_1 < b_2 < … strictly inside `root`'s subtree, or none when the MIBs know no branches under
 * it. The walk's ranges are (root, b_1], (b_1, b_2], …, (b_k, end of the subtree): each begins with a GETBULK
 * after its lower point and takes the OIDs up to its upper one, so an instance exactly at a split point falls
 * in the range that ends there, as it would in one walk.
 *
 * `known`: the OIDs of the MIB nodes strictly under `root`, in OID order.
 */
export function splitPoints(root: string, known: readonly string[], wanted: number): string[] {
  const branches: Branch[] = [{ oid: root, arcs: arcCount(root), from: 0, to: known.length, leaf: false }];
  const points: string[] = [];
  while (branches.length < wanted) {
    let widest: Branch | undefined;
    for (const branch of branches) if (!branch.leaf && (widest === undefined || branch.to - branch.from > widest.to - widest.from)) widest = branch;
    if (widest === undefined) break;
    const children = childrenThrough(widest, known);
    if (children.length < 2) {
      widest.leaf = true;
      continue;
    }
    // The first child's subtree stays in the range that began before the branch (its points are the others').
    branches.splice(branches.indexOf(widest), 1, ...children);
    for (const child of children.slice(1)) points.push(child.oid);
  }
  return points.sort(compareOids);
}

/** The branch's children, looking through single-child chains; fewer than two when it cannot be split. */
function childrenThrough(branch: Branch, known: readonly string[]): Branch[] {
  let children = childrenOf(branch, known);
  while (children.length === 1) children = childrenOf(children[0], known);
  return children;
}

function childrenOf(branch: Branch, known: readonly string[]): Branch[] {
  const children: Branch[] = [];
  const arcs = branch.arcs + 1;
  for (let i = branch.from; i < branch.to; i++) {
    const oid = known[i];
    if (oid === branch.oid) continue;
    const prefix = prefixOf(oid, arcs);
    const last = children.at(-1);
    if (last?.oid === prefix) last.to = i + 1;
    else children.push({ oid: prefix, arcs, from: i, to: i + 1, leaf: false });
  }
  return children;
}

function prefixOf(oid: string, arcs: number): string {
  let end = -1;
  for (let n = 0; n < arcs; n++) {
    end = oid.indexOf('.', end + 1);
    if (end < 0) return oid;
  }
  return oid.slice(0, end);
}

function arcCount(oid: string): number {
  let count = 1;
  for (let i = 0; i < oid.length; i++) if (oid.charCodeAt(i) === 46) count++;
  return count;
}
