import { AdapterError } from '../errors.ts';
import type { MibNode, MibResolver } from './mib.ts';
import type { TableColumn, TableIndexObject, TableRow, VarbindJson } from './schemas.ts';
import type { SnmpSession } from './session.ts';
import { decodeIndex, suffixArcs, type IndexEncoding, type IndexPart } from './table-index.ts';
import { TYPE_TAGS, varbindToJson, type WireVarbind } from './varbind.ts';
import { compareOids, inSubtree } from './walk.ts';

/**
 * SNMP tables: which columns to fetch and how to read a row's index (from the MIB), and the column walk
 * itself, every column in one GETBULK per round trip as snmptable does, rows given out in index order
 * as soon as every column has passed them.
 */

/** What a table request resolves to before anything is sent. */
export interface TablePlan {
  table: { name?: string; oid: string };
  index: TableIndexObject[];
  columns: TableColumn[];
  /** How to decode the instance suffix; undefined for a table the MIBs do not describe. */
  parts?: IndexPart[];
  /** The entry, whose sub-identifiers are the columns. */
  entryOid: string;
  /** A table the MIBs do not describe: its columns are discovered while walking the entry, named by sub-identifier. */
  byNumber: boolean;
}

export interface TableRequestShape {
  table: string;
  columns?: string[];
  augment?: string[];
}

const NOT_READABLE = new Set(['not-accessible', 'accessible-for-notify']);

function invalid(message: string): AdapterError {
  return new AdapterError('INVALID_INPUT', 'snmp', message);
}

/** Resolves the table (name, entry name or numeric OID), its INDEX, its readable columns and the `augment` tables. */
export function planTable(mib: MibResolver, request: TableRequestShape): TablePlan {
  const found = mib.node(request.table);
  if (!found) {
    const numeric = mib.toNumeric(request.table); // a name no MIB knows fails here, as in get
    if (request.columns || request.augment) throw invalid(`no loaded MIB describes ${request.table}: columns and augment need a table the MIBs know`);
    return { table: { oid: numeric }, index: [], columns: [], entryOid: `${numeric}.1`, byNumber: true };
  }
  const { table, entry } = tableAndEntry(mib, found, request.table);
  const indexEntry = entry.augments !== undefined ? mib.byQualifiedName(entry.augments) : entry;
  if (!indexEntry?.index) throw invalid(`${entry.qualified} has no INDEX clause`);
  const entries = [entry, ...(request.augment ?? []).map((name) => augmentEntry(mib, name, indexEntry))];
  let columns = entries.flatMap((e) => mib.columnsOf(e).filter((c) => !NOT_READABLE.has(c.access ?? '')));
  if (request.columns) {
    const wanted = request.columns.map((name) => {
      const column = columns.find((c) => c.qualified === name || c.name === name || c.oid === name.replace(/^\./, ''));
      if (!column) throw invalid(`${name} is not a readable column of ${entries.map((e) => e.qualified).join(' or ')}`);
      return column;
    });
    columns = [...new Set(wanted)];
  }
  if (columns.length === 0) throw invalid(`${table.qualified} has no readable column`);
  const names = columnNames(columns);
  const parts = indexParts(mib, indexEntry);
  return {
    table: { name: table.qualified, oid: table.oid },
    index: indexEntry.index.map((item, i) => ({
      name: item.name,
      syntax: parts?.[i] ? syntaxName(mib, indexEntry, item.name) : item.name,
      ...(item.implied ? { implied: true } : {}),
    })),
    columns: columns.map((c, i) => ({
      name: names[i],
      oid: c.oid,
      syntax: c.syntax?.name ?? 'unknown',
      ...(c.access !== undefined ? { access: c.access } : {}),
      ...(c.units !== undefined ? { units: c.units } : {}),
      ...(c.syntax?.enums ? { enums: Object.fromEntries([...c.syntax.enums].map(([value, name]) => [name, value])) } : {}),
    })),
    parts,
    entryOid: entry.oid,
    byNumber: false,
  };
}

function tableAndEntry(mib: MibResolver, node: MibNode, asked: string): { table: MibNode; entry: MibNode } {
  if (node.index !== undefined || node.augments !== undefined) {
    const table = mib.node(node.oid.slice(0, node.oid.lastIndexOf('.')));
    if (table) return { table, entry: node };
  }
  if (node.syntax?.base === 'SequenceOf') {
    const entry = mib.node(`${node.oid}.1`);
    if (entry) return { table: node, entry };
  }
  throw invalid(`${asked} (${node.qualified}) is not a table (SEQUENCE OF) nor a table entry (INDEX or AUGMENTS)`);
}

/** An `augment` table or entry: it must AUGMENT the table's entry, or share its INDEX. */
function augmentEntry(mib: MibResolver, name: string, indexEntry: MibNode): MibNode {
  const node = mib.node(name);
  if (!node) throw invalid(`augment: unknown MIB name "${name}"`);
  const { entry } = tableAndEntry(mib, node, name);
  const sameIndex = entry.index !== undefined && JSON.stringify(entry.index) === JSON.stringify(indexEntry.index);
  if (entry.augments !== indexEntry.qualified && !sameIndex && entry !== indexEntry) {
    throw invalid(`augment: ${entry.qualified} neither AUGMENTS ${indexEntry.qualified} nor has the same INDEX, so its rows do not join`);
  }
  return entry;
}

/** Bare names, unless two columns share one (then qualified). */
function columnNames(columns: readonly MibNode[]): string[] {
  const counts = new Map<string, number>();
  for (const c of columns) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  return columns.map((c) => (counts.get(c.name)! > 1 ? c.qualified : c.name));
}

function indexObject(mib: MibResolver, entry: MibNode, name: string): MibNode | undefined {
  return mib.byQualifiedName(`${entry.module}::${name}`) ?? mib.node(name);
}

function syntaxName(mib: MibResolver, entry: MibNode, name: string): string {
  return indexObject(mib, entry, name)?.syntax?.name ?? name;
}

const SMIV1_INDEX_TYPES: Readonly<Record<string, IndexEncoding>> = { INTEGER: 'integer', 'OCTET STRING': 'octets', 'OBJECT IDENTIFIER': 'oid', NetworkAddress: 'networkAddress', IpAddress: 'ipAddress' };

/** How each INDEX object is encoded; undefined when one of them is unknown (the rows are then keyed by the raw suffix only). */
function indexParts(mib: MibResolver, entry: MibNode): IndexPart[] | undefined {
  const parts: IndexPart[] = [];
  for (const item of entry.index ?? []) {
    const smiv1 = SMIV1_INDEX_TYPES[item.name];
    if (smiv1) {
      parts.push({ name: item.name, encoding: smiv1, implied: item.implied });
      continue;
    }
    const syntax = indexObject(mib, entry, item.name)?.syntax;
    if (!syntax) return undefined;
    const part: IndexPart = { name: item.name, encoding: 'integer', implied: item.implied };
    switch (syntax.base) {
      case 'IpAddress':
        part.encoding = 'ipAddress';
        break;
      case 'NetworkAddress':
        part.encoding = 'networkAddress';
        break;
      case 'ObjectIdentifier':
        part.encoding = 'oid';
        break;
      case 'OctetString':
      case 'Bits':
      case 'Opaque': {
        const sizes = syntax.sizes;
        const fixed = sizes?.length === 1 && sizes[0][0] === sizes[0][1];
        part.encoding = fixed && !item.implied ? 'fixedOctets' : 'octets';
        if (fixed) part.size = sizes![0][0];
        if (syntax.displayHint !== undefined) part.displayHint = syntax.displayHint;
        if (syntax.textualConventions.includes('InetAddress')) {
          // RFC 4001: an InetAddress index follows the InetAddressType that qualifies it.
          for (let p = parts.length - 1; p >= 0; p--) {
            const previous = indexObject(mib, entry, parts[p].name)?.syntax;
            if (previous?.textualConventions.includes('InetAddressType')) {
              part.inetTypePart = p;
              break;
            }
          }
        }
        break;
      }
      case 'Sequence':
      case 'SequenceOf':
      case 'Choice':
      case 'Null':
      case 'Unknown':
        return undefined;
      default:
        part.encoding = 'integer';
    }
    parts.push(part);
  }
  return parts;
}

/* ------------------------------------------------------------------ the walk */

export interface TableWalkOptions {
  version: '1' | '2c' | '3';
  maxRows: number;
  maxRepetitions: number;
  /** Cells the walk may hold (SNMP_MAX_VARBINDS). */
  maxCells: number;
  signal?: AbortSignal;
  /** A GETBULK that halves its repetitions while the agent answers tooBig. */
  getBulk(oids: string[], maxRepetitions: number): Promise<WireVarbind[][]>;
}

interface ColumnCursor {
  name: string;
  oid: string;
  /** The last instance suffix this column returned ('' before the first). */
  last: string;
  done: boolean;
}

interface RowBuild {
  suffix: string;
  row: TableRow;
}

/**
 * Walks the plan's columns; yields rows in index order, in batches, as they complete. Returns whether
 * maxRows (or the cell limit) cut the table short.
 */
export async function* walkTable(session: SnmpSession, plan: TablePlan, mib: MibResolver, options: TableWalkOptions): AsyncGenerator<TableRow[], { truncated: boolean }> {
  if (plan.byNumber) return yield* walkByNumber(session, plan, mib, options);
  const cursors: ColumnCursor[] = plan.columns.map((c) => ({ name: c.name, oid: c.oid, last: '', done: false }));
  const pending = new Map<string, RowBuild>();
  let emitted = 0;
  let cells = 0;
  const newRow = (suffix: string): RowBuild => {
    const values: TableRow['values'] = {};
    for (const c of plan.columns) values[c.name] = null;
    return { suffix, row: { index: suffix, indexValues: decodeRowIndex(suffix, plan.parts), values } };
  };
  for (;;) {
    const active = cursors.filter((c) => !c.done);
    if (active.length === 0) break;
    const oids = active.map((c) => (c.last === '' ? c.oid : `${c.oid}.${c.last}`));
    const replies = options.version === '1' ? await getNextColumns(session, oids, active, options.signal) : await options.getBulk(oids, options.maxRepetitions);
    for (let i = 0; i < active.length; i++) {
      const cursor = active[i];
      const varbinds = replies[i] ?? [];
      if (varbinds.length === 0) cursor.done = true;
      for (const vb of varbinds) {
        if (vb.type === TYPE_TAGS.EndOfMibView || !inSubtree(cursor.oid, vb.oid)) {
          cursor.done = true;
          break;
        }
        const suffix = vb.oid.slice(cursor.oid.length + 1);
        if (cursor.last !== '' && compareOids(suffix, cursor.last) <= 0) {
          cursor.done = true; // a non-increasing OID: the column ends here rather than loop
          break;
        }
        cursor.last = suffix;
        let build = pending.get(suffix);
        if (!build) pending.set(suffix, (build = newRow(suffix)));
        setCell(build.row, cursor.name, varbindToJson(vb, mib));
        if (++cells >= options.maxCells) break;
      }
    }
    // Rows no active column can still add to are complete.
    const stillActive = cursors.filter((c) => !c.done);
    const complete = [...pending.values()].filter((b) => stillActive.every((c) => c.last !== '' && compareOids(b.suffix, c.last) <= 0));
    complete.sort((a, b) => compareOids(a.suffix, b.suffix));
    const batch: TableRow[] = [];
    for (const build of complete) {
      if (emitted >= options.maxRows) break;
      pending.delete(build.suffix);
      batch.push(build.row);
      emitted++;
    }
    if (batch.length > 0) yield batch;
    if (cells >= options.maxCells) return { truncated: true };
    if (emitted >= options.maxRows && (pending.size > 0 || stillActive.length > 0)) return { truncated: true };
  }
  const rest = [...pending.values()].sort((a, b) => compareOids(a.suffix, b.suffix)).map((b) => b.row);
  const room = options.maxRows - emitted;
  if (rest.length > 0) yield rest.slice(0, room);
  return { truncated: rest.length > room };
}

/** A table the MIBs do not describe: the entry's subtree, column by column; rows keyed by the raw suffix, columns by sub-identifier. */
async function* walkByNumber(session: SnmpSession, plan: TablePlan, mib: MibResolver, options: TableWalkOptions): AsyncGenerator<TableRow[], { truncated: boolean }> {
  const rows = new Map<string, TableRow>();
  const columns = new Map<string, TableColumn>();
  let cursor = plan.entryOid;
  let cells = 0;
  let truncated = false;
  walk: for (;;) {
    const [varbinds = []] = options.version === '1' ? await getNextColumns(session, [cursor], [{ done: false }], options.signal) : await options.getBulk([cursor], options.maxRepetitions);
    if (varbinds.length === 0) break;
    for (const vb of varbinds) {
      if (vb.type === TYPE_TAGS.EndOfMibView || !inSubtree(plan.entryOid, vb.oid) || compareOids(vb.oid, cursor) <= 0) break walk;
      cursor = vb.oid;
      const rest = vb.oid.slice(plan.entryOid.length + 1);
      const dot = rest.indexOf('.');
      if (dot < 0) continue; // the column itself, without an instance
      const column = rest.slice(0, dot);
      const suffix = rest.slice(dot + 1);
      if (!columns.has(column)) columns.set(column, { name: column, oid: `${plan.entryOid}.${column}`, syntax: 'unknown' });
      let row = rows.get(suffix);
      if (!row) {
        if (rows.size >= options.maxRows) {
          truncated = true;
          continue;
        }
        rows.set(suffix, (row = { index: suffix, indexValues: {}, values: {} }));
      }
      setCell(row, column, varbindToJson(vb, mib));
      if (++cells >= options.maxCells) {
        truncated = true;
        break walk;
      }
    }
  }
  plan.columns.push(...columns.values());
  const ordered = [...rows.entries()].sort((a, b) => compareOids(a[0], b[0])).map(([, row]) => row);
  for (const row of ordered) for (const c of columns.keys()) if (!(c in row.values)) row.values[c] = null;
  if (ordered.length > 0) yield ordered;
  return { truncated };
}

/** SNMPv1 has no GETBULK: one GETNEXT of every column per row; noSuchName marks the column that ran off the MIB. */
async function getNextColumns(session: SnmpSession, oids: string[], cursors: { done: boolean }[], signal: AbortSignal | undefined): Promise<WireVarbind[][]> {
  let asked = oids.map((oid, i) => ({ oid, i }));
  for (;;) {
    if (asked.length === 0) return oids.map(() => []);
    try {
      const reply = await session.getNext(
        asked.map((a) => a.oid),
        signal,
      );
      const columns: WireVarbind[][] = oids.map(() => []);
      asked.forEach((a, k) => (columns[a.i] = reply[k] ? [reply[k]] : []));
      return columns;
    } catch (err) {
      const snmp = err instanceof AdapterError ? (err.extensions.snmp as { status?: string; index?: number } | undefined) : undefined;
      if (snmp?.status !== 'noSuchName' || !snmp.index) throw err;
      const ended = asked[snmp.index - 1];
      if (!ended) throw err;
      cursors[ended.i].done = true;
      asked = asked.filter((a) => a !== ended);
    }
  }
}

function decodeRowIndex(suffix: string, parts: readonly IndexPart[] | undefined): TableRow['indexValues'] {
  if (!parts) return {};
  const arcs = suffixArcs(suffix);
  return (arcs && decodeIndex(arcs, parts)) ?? {};
}

/** The cell's value, and beside it (per column) what the MIB adds: enum, valueName, display, duration, bits, encoding. */
function setCell(row: TableRow, column: string, json: VarbindJson): void {
  const exception = json.type === 'NoSuchObject' || json.type === 'NoSuchInstance' || json.type === 'EndOfMibView';
  row.values[column] = exception ? null : json.value;
  if (exception) return;
  if (json.encoding !== undefined) (row.encoding ??= {})[column] = json.encoding;
  if (json.enum !== undefined) (row.enum ??= {})[column] = json.enum;
  if (json.valueName !== undefined) (row.valueName ??= {})[column] = json.valueName;
  if (json.display !== undefined) (row.display ??= {})[column] = json.display;
  if (json.duration !== undefined) (row.duration ??= {})[column] = json.duration;
  if (json.bits !== undefined) (row.bits ??= {})[column] = json.bits;
}
