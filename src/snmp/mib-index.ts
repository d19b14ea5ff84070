import { isDottedDecimal } from './oid.ts';
import { OBJECT_MACROS, type IndexItem, type ObjectDecl, type ParsedModule, type TypeDecl, type TypeSyntax } from './mib-parser.ts';
import { rendererFor, type ValueRenderer } from './value-render.ts';

/**
 * The MIB index: every loaded module's objects resolved to numeric OIDs, with their syntax resolved through
 * textual conventions to a base type. Built from parsed modules in one pass, immutable; the resolver swaps
 * in a new one when modules are added or removed. Only what lookups, rendering and tables need is kept.
 */

/** Where a module came from: the set shipped in mibs/, SNMP_MIB_DIRS, or POST /snmp/mibs. */
export const MIB_SOURCES = ['bundled', 'dir', 'uploaded'] as const;
export type MibSource = (typeof MIB_SOURCES)[number];

export interface MibModuleInput {
  parsed: ParsedModule;
  file: string;
  source: MibSource;
}

/** The SMI's base types, as the index reports them. */
export type BaseType =
  | 'Integer32'
  | 'Unsigned32'
  | 'Counter32'
  | 'Gauge32'
  | 'Counter64'
  | 'TimeTicks'
  | 'IpAddress'
  | 'NetworkAddress'
  | 'Opaque'
  | 'OctetString'
  | 'ObjectIdentifier'
  | 'Bits'
  | 'Sequence'
  | 'SequenceOf'
  | 'Choice'
  | 'Null'
  | 'Unknown';

/** A SYNTAX resolved through its textual conventions. */
export interface Syntax {
  /** As written in the object's SYNTAX clause: `InterfaceIndex`, `DisplayString`, `INTEGER`, `OCTET STRING`. */
  name: string;
  base: BaseType;
  /** The textual conventions it derives from, outermost first (`['PhysAddress']`). */
  textualConventions: readonly string[];
  displayHint?: string;
  /** Named numbers (INTEGER) or named bits (BITS), the nearest definition. */
  enums?: ReadonlyMap<number, string>;
  /** SIZE ranges, the nearest definition. */
  sizes?: readonly (readonly [number, number])[];
  /** SEQUENCE OF: the entry type. */
  entryType?: string;
}

export interface MibNode {
  oid: string;
  name: string;
  module: string;
  /** `MODULE::name`. */
  qualified: string;
  /** 'OBJECT IDENTIFIER', 'OBJECT-TYPE', 'NOTIFICATION-TYPE', … */
  macro: string;
  syntax?: Syntax;
  access?: string;
  status?: string;
  description?: string;
  units?: string;
  index?: readonly IndexItem[];
  /** The entry this one AUGMENTS, as `MODULE::name`. */
  augments?: string;
  /** How its values are rendered (enum names, DISPLAY-HINT…); absent when the syntax adds nothing. */
  render?: ValueRenderer;
}

export interface MibModuleInfo {
  name: string;
  source: MibSource;
  file: string;
  /** Objects (OID-valued definitions) the module defines. */
  objects: number;
  /** Definitions that could not be resolved (an unknown parent…): the module loaded without them. */
  problems: MibProblem[];
}

export interface MibProblem {
  file: string;
  line: number;
  message: string;
  module?: string;
  /** IMPORTS modules that are not loaded. */
  missingImports?: string[];
}

/** Modules that current ones replace (RFC 2011-2013 and later supersede RFC 1213…): their names lose any tie. */
const OBSOLETE_MODULES = new Set(['RFC1155-SMI', 'RFC1158-MIB', 'RFC1213-MIB', 'RFC-1212', 'RFC-1215', 'UCD-SNMP-MIB-OLD']);

/** The SMI's types, whichever module they are imported from. */
const SMI_TYPES: Readonly<Record<string, BaseType>> = {
  Integer32: 'Integer32',
  Unsigned32: 'Unsigned32',
  Counter32: 'Counter32',
  Counter: 'Counter32',
  Gauge32: 'Gauge32',
  Gauge: 'Gauge32',
  Counter64: 'Counter64',
  TimeTicks: 'TimeTicks',
  IpAddress: 'IpAddress',
  NetworkAddress: 'NetworkAddress',
  Opaque: 'Opaque',
};

const BASE_KEYWORDS: Readonly<Record<string, BaseType>> = {
  INTEGER: 'Integer32',
  'OCTET STRING': 'OctetString',
  'OBJECT IDENTIFIER': 'ObjectIdentifier',
  BITS: 'Bits',
  SEQUENCE: 'Sequence',
  'SEQUENCE OF': 'SequenceOf',
  CHOICE: 'Choice',
  NULL: 'Null',
};

/** ASN.1's roots, known without any module. */
const ROOTS: Readonly<Record<string, string>> = { ccitt: '0', iso: '1', 'joint-iso-ccitt': '2' };

/** Symbols a module may import from a module that is not loaded: the SMI's macros, which are part of the language. */
export function isSmiKeyword(symbol: string): boolean {
  return OBJECT_MACROS.has(symbol) || symbol === 'TEXTUAL-CONVENTION';
}

/** A module is obsolete when it is a known predecessor or written in SMIv1 (it imports RFC1155-SMI). */
function isObsolete(module: ParsedModule): boolean {
  return OBSOLETE_MODULES.has(module.name) || module.imports.some((i) => i.module === 'RFC1155-SMI');
}

const MAX_CHAIN = 256;

export class MibIndex {
  readonly byOid = new Map<string, MibNode>();
  readonly byQualified = new Map<string, MibNode>();
  readonly byName = new Map<string, MibNode>();
  /** Entry OID → its columns, in sub-identifier order. */
  private readonly columnsByEntry = new Map<string, MibNode[]>();
  readonly modules: MibModuleInfo[] = [];

  private readonly parsed = new Map<string, MibModuleInput>();
  private readonly decls = new Map<string, { objects: Map<string, ObjectDecl>; types: Map<string, TypeDecl>; imports: Map<string, string> }>();
  private readonly oidMemo = new Map<string, string | null>();
  private readonly typeMemo = new Map<string, Syntax>();

  /** Builds the index from modules whose imports are all present (see MibLoader), in load order. */
  constructor(inputs: readonly MibModuleInput[]) {
    for (const input of inputs) {
      this.parsed.set(input.parsed.name, input);
      const objects = new Map<string, ObjectDecl>();
      for (const decl of input.parsed.objects) if (!objects.has(decl.name)) objects.set(decl.name, decl);
      const imports = new Map<string, string>();
      for (const { module, symbols } of input.parsed.imports) for (const symbol of symbols) if (!imports.has(symbol)) imports.set(symbol, module);
      this.decls.set(input.parsed.name, { objects, types: new Map(input.parsed.types.map((t) => [t.name, t])), imports });
    }
    const ranked = [...inputs.filter((i) => !isObsolete(i.parsed)), ...inputs.filter((i) => isObsolete(i.parsed))];
    const nodesByModule = new Map<string, MibNode[]>();
    for (const input of inputs) {
      const problems: MibProblem[] = [];
      const nodes: MibNode[] = [];
      for (const decl of input.parsed.objects) {
        const oid = this.resolveOid(input.parsed.name, decl.name, problems);
        if (oid === undefined) continue;
        nodes.push(this.node(input.parsed, decl, oid, problems));
      }
      nodesByModule.set(input.parsed.name, nodes);
      this.modules.push({ name: input.parsed.name, source: input.source, file: input.file, objects: nodes.length, problems });
    }
    const aliases: MibNode[] = [];
    for (const input of ranked) {
      for (const node of nodesByModule.get(input.parsed.name) ?? []) {
        this.byQualified.set(node.qualified, node);
        if (!this.byName.has(node.name)) this.byName.set(node.name, node);
        if (node.macro === 'OBJECT IDENTIFIER') aliases.push(node);
        else if (!this.byOid.has(node.oid)) this.byOid.set(node.oid, node);
      }
    }
    // A name given to an instance (DISMAN-EVENT-MIB's sysUpTimeInstance for sysUpTime.0) does not hide the
    // object: OIDs under an OBJECT-TYPE are named after it, with the instance suffix.
    for (const node of aliases) {
      if (this.byOid.has(node.oid)) continue;
      const parent = this.byOid.get(parentOf(node.oid));
      if (parent?.macro !== 'OBJECT-TYPE') this.byOid.set(node.oid, node);
    }
    for (const node of this.byOid.values()) {
      const parent = this.byOid.get(parentOf(node.oid));
      if (parent && (parent.index !== undefined || parent.augments !== undefined)) {
        let columns = this.columnsByEntry.get(parent.oid);
        if (!columns) this.columnsByEntry.set(parent.oid, (columns = []));
        columns.push(node);
      }
    }
    for (const columns of this.columnsByEntry.values()) columns.sort((a, b) => lastArc(a.oid) - lastArc(b.oid));
    this.parsed.clear();
    this.decls.clear();
    this.oidMemo.clear();
    this.typeMemo.clear();
  }

  columnsOf(entry: MibNode): readonly MibNode[] {
    return this.columnsByEntry.get(entry.oid) ?? [];
  }

  private node(module: ParsedModule, decl: ObjectDecl, oid: string, problems: MibProblem[]): MibNode {
    const syntax = decl.syntax ? this.resolveSyntax(module.name, decl.syntax, 0) : undefined;
    let augments: string | undefined;
    if (decl.augments !== undefined) {
      const target = this.lookupSymbol(module.name, decl.augments, 'object');
      if (target) augments = `${target.module}::${target.decl.name}`;
      else problems.push({ file: this.fileOf(module.name), line: decl.line, module: module.name, message: `${decl.name} AUGMENTS unknown entry ${decl.augments}` });
    }
    // Every node in one shape, every field present (undefined when absent): varbinds read them by the thousand.
    return {
      oid,
      name: decl.name,
      module: module.name,
      qualified: `${module.name}::${decl.name}`,
      macro: decl.macro,
      syntax,
      access: decl.access,
      status: decl.status,
      description: decl.description,
      units: decl.units,
      index: decl.index,
      augments,
      render: rendererFor(syntax),
    };
  }

  private fileOf(module: string): string {
    return this.parsed.get(module)?.file ?? '';
  }

  /** The numeric OID of `module`'s object `name`, memoized; undefined (with a problem) when a parent is unknown. */
  private resolveOid(module: string, name: string, problems: MibProblem[], depth = 0): string | undefined {
    const key = `${module}::${name}`;
    const memo = this.oidMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    const found = this.lookupSymbol(module, name, 'object');
    if (!found) return undefined;
    if (found.module !== module) return this.resolveOid(found.module, name, problems, depth + 1);
    const decl = found.decl as ObjectDecl;
    const problem = (message: string) => {
      problems.push({ file: this.fileOf(module), line: decl.line, module, message });
      this.oidMemo.set(key, null);
      return undefined;
    };
    if (depth > MAX_CHAIN) return problem(`the OID of ${name} does not resolve: its parents form a cycle or a chain deeper than ${MAX_CHAIN}`);
    this.oidMemo.set(key, null); // a cycle comes back here as unresolved
    const [first, ...rest] = decl.oid;
    let prefix: string | undefined;
    if (first.number !== undefined) prefix = String(first.number);
    else if (first.name !== undefined && ROOTS[first.name] !== undefined && !this.lookupSymbol(module, first.name, 'object')) prefix = ROOTS[first.name];
    else if (first.name !== undefined) {
      const parent = this.lookupSymbol(module, first.name, 'object');
      if (!parent) return problem(`${name} is defined under ${first.name}, which is neither defined in ${module} nor imported`);
      prefix = this.resolveOid(parent.module, first.name, problems, depth + 1);
      if (prefix === undefined) return problem(`${name} is defined under ${first.name}, whose OID does not resolve`);
    }
    const oid = [prefix, ...rest.map((c) => c.number)].join('.');
    if (!isDottedDecimal(oid)) return problem(`${name} has no valid OID (${oid})`);
    this.oidMemo.set(key, oid);
    return oid;
  }

  /** Finds `name` as seen from `module`: its own definitions, then its imports, then any loaded module. */
  private lookupSymbol(module: string, name: string, kind: 'object' | 'type'): { module: string; decl: ObjectDecl | TypeDecl } | undefined {
    const find = (from: string) => {
      const decls = this.decls.get(from);
      return kind === 'type' ? decls?.types.get(name) : decls?.objects.get(name);
    };
    const local = find(module);
    if (local) return { module, decl: local };
    const from = this.decls.get(module)?.imports.get(name);
    const imported = from === undefined ? undefined : find(from);
    if (imported) return { module: from!, decl: imported };
    // Lenient, as Net-SNMP is: a symbol imported from the wrong module, or not imported, still resolves.
    for (const other of this.decls.keys()) {
      const decl = other === module ? undefined : find(other);
      if (decl) return { module: other, decl };
    }
    return undefined;
  }

  private resolveSyntax(module: string, syntax: TypeSyntax, depth: number): Syntax {
    if (syntax.base !== undefined) {
      const resolved: Syntax = { name: syntax.base, base: BASE_KEYWORDS[syntax.base] ?? 'Unknown', textualConventions: [] };
      if (syntax.base === 'SEQUENCE OF' && syntax.ref !== undefined) resolved.entryType = syntax.ref;
      return refine(resolved, syntax);
    }
    const ref = syntax.ref ?? '';
    const smi = SMI_TYPES[ref];
    if (smi !== undefined) return refine({ name: ref, base: smi, textualConventions: [] }, syntax);
    const found = depth < MAX_CHAIN ? this.lookupSymbol(module, ref, 'type') : undefined;
    if (!found) return refine({ name: ref, base: 'Unknown', textualConventions: [] }, syntax);
    const key = `${found.module}::${ref}`;
    let inner = this.typeMemo.get(key);
    if (!inner) {
      const decl = found.decl as TypeDecl;
      const resolved = this.resolveSyntax(found.module, decl.syntax, depth + 1);
      inner = decl.textualConvention
        ? { ...resolved, textualConventions: [ref, ...resolved.textualConventions], displayHint: decl.displayHint ?? resolved.displayHint }
        : { ...resolved, textualConventions: resolved.textualConventions };
      this.typeMemo.set(key, inner);
    }
    return refine({ ...inner, name: ref }, syntax);
  }
}

function refine(syntax: Syntax, written: TypeSyntax): Syntax {
  if (written.enums) syntax.enums = new Map(written.enums.map(([name, value]) => [value, name]));
  if (written.sizes) syntax.sizes = written.sizes;
  return syntax;
}

export function parentOf(oid: string): string {
  const dot = oid.lastIndexOf('.');
  return dot < 0 ? '' : oid.slice(0, dot);
}

function lastArc(oid: string): number {
  return Number(oid.slice(oid.lastIndexOf('.') + 1));
}
