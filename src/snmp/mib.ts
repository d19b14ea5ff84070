import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import snmp from 'net-snmp';
import { AdapterError } from '../errors.ts';
import { isDottedDecimal, numericOidProblem, parseNumericOid } from './oid.ts';

/** The parts of net-snmp's untyped ModuleStore this resolver relies on. */
interface NetSnmpModuleStore {
  loadFromFile(fileName: string): void;
  parser: {
    Modules: Record<string, Record<string, unknown>>;
    CharBuffer: { Table: Record<string, unknown>; ModuleName: Record<string, string> };
    SymbolBuffer: Record<string, unknown>;
  };
}

interface MibEntry {
  ObjectName?: string;
  OID?: string;
}

export interface SkippedMibFile {
  file: string;
  reason: string;
}

/** Modules net-snmp ships beyond its base set; loaded in this order (IF-MIB imports IANAifType-MIB). */
const SHIPPED_EXTRA_MODULES = ['IANAifType-MIB', 'IF-MIB'];
/** SMIv1 modules that duplicate SMIv2 names (sysName, ifDescr…): their names lose to any other module. */
const LEGACY_MODULES = new Set(['RFC1155-SMI', 'RFC1158-MIB', 'RFC1213-MIB', 'RFC-1212', 'RFC-1215']);

/**
 * Translates between numeric OIDs and MIB names. net-snmp's ModuleStore.translate matches whole nodes only,
 * so this builds its own indexes once: numeric OID → 'MODULE::name' (longest-prefix lookup for instances
 * and table indexes), and name → numeric OID.
 */
export class MibResolver {
  private readonly oidToName: Map<string, string>;
  private readonly qualifiedToOid: Map<string, string>;
  private readonly bareToOid: Map<string, string>;
  /** Extra MIB files that could not be loaded, with the reason. */
  readonly skipped: readonly SkippedMibFile[];
  /** Modules loaded, in load order. */
  readonly modules: readonly string[];
  private constructor(
    oidToName: Map<string, string>,
    qualifiedToOid: Map<string, string>,
    bareToOid: Map<string, string>,
    skipped: readonly SkippedMibFile[],
    modules: readonly string[],
  ) {
    this.oidToName = oidToName;
    this.qualifiedToOid = qualifiedToOid;
    this.bareToOid = bareToOid;
    this.skipped = skipped;
    this.modules = modules;
  }

  static create(options: { mibDirs: string[] }): MibResolver {
    const skipped: SkippedMibFile[] = [];
    const store = quietly(() => snmp.createModuleStore() as NetSnmpModuleStore);
    const shippedDir = join(dirname(createRequire(import.meta.url).resolve('net-snmp')), 'lib', 'mibs');
    for (const module of SHIPPED_EXTRA_MODULES) loadMibFile(store, join(shippedDir, `${module}.mib`), skipped);
    for (const header of inDependencyOrder(listMibFiles(options.mibDirs, skipped), skipped)) {
      const missing = header.imports.filter((module) => !(module in store.parser.Modules));
      const hint = missing.length > 0 ? ` (imports ${missing.join(', ')}, not loaded)` : '';
      loadMibFile(store, header.file, skipped, hint);
    }
    return MibResolver.fromModules(store.parser.Modules, skipped);
  }

  private static fromModules(modules: Record<string, Record<string, unknown>>, skipped: SkippedMibFile[]): MibResolver {
    const oidToName = new Map<string, string>();
    const qualifiedToOid = new Map<string, string>();
    const bareToOid = new Map<string, string>();
    const names = Object.keys(modules);
    const preferred = [...names.filter((m) => !LEGACY_MODULES.has(m)), ...names.filter((m) => LEGACY_MODULES.has(m))];
    for (const moduleName of preferred) {
      for (const entry of Object.values(modules[moduleName]) as MibEntry[]) {
        if (typeof entry !== 'object' || entry === null) continue;
        const { ObjectName: name, OID: oid } = entry;
        // Shape only: a name whose OID cannot be sent is refused by toNumeric with the reason, not as unknown.
        if (typeof name !== 'string' || typeof oid !== 'string' || !isDottedDecimal(oid)) continue;
        const qualified = `${moduleName}::${name}`;
        qualifiedToOid.set(qualified, oid);
        if (!bareToOid.has(name)) bareToOid.set(name, oid);
        if (!oidToName.has(oid)) oidToName.set(oid, qualified);
      }
    }
    return new MibResolver(oidToName, qualifiedToOid, bareToOid, skipped, names);
  }

  /** Accepts '1.3.6.1.2.1.1.5.0', '.1.3.6.1…', 'SNMPv2-MIB::sysName.0', 'sysName.0', 'IF-MIB::linkDown'. */
  toNumeric(oid: string): string {
    const text = oid.trim();
    const numeric = parseNumericOid(text);
    if (numeric) {
      if (numeric.problem !== undefined) throw invalidOid(numeric.problem);
      return numeric.oid;
    }
    const separator = text.indexOf('::');
    const nameStart = separator >= 0 ? separator + 2 : 0;
    const dot = text.indexOf('.', nameStart);
    const base = dot >= 0 ? text.slice(0, dot) : text;
    const suffix = dot >= 0 ? text.slice(dot + 1) : '';
    const baseOid = separator >= 0 ? this.qualifiedToOid.get(base) : this.bareToOid.get(base);
    if (baseOid === undefined) throw invalidOid(`unknown MIB name "${base}"`);
    if (suffix !== '' && !isDottedDecimal(suffix)) throw invalidOid(`"${oid}" has an instance suffix that is not numeric`);
    const full = suffix === '' ? baseOid : `${baseOid}.${suffix}`;
    const problem = numericOidProblem(full);
    if (problem !== undefined) throw invalidOid(`"${oid}" is ${full}, which is not a valid OID: ${problem}`);
    return full;
  }

  /** The longest known MIB prefix plus the instance suffix ('IF-MIB::ifDescr.2'); undefined when none is known. */
  nameOf(numericOid: string): string | undefined {
    const oid = numericOid.startsWith('.') ? numericOid.slice(1) : numericOid;
    let prefix = oid;
    while (prefix.length > 0) {
      const name = this.oidToName.get(prefix);
      if (name !== undefined) return prefix === oid ? name : `${name}${oid.slice(prefix.length)}`;
      const lastDot = prefix.lastIndexOf('.');
      if (lastDot < 0) return undefined;
      prefix = prefix.slice(0, lastDot);
    }
    return undefined;
  }
}

function invalidOid(message: string): AdapterError {
  return new AdapterError('INVALID_INPUT', 'snmp', message);
}

function listMibFiles(dirs: string[], skipped: SkippedMibFile[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      skipped.push({ file: dir, reason: `cannot read directory (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const file = join(dir, entry);
      try {
        if (statSync(file).isFile()) files.push(file);
      } catch {
        // vanished or unreadable between readdir and stat: nothing to load
      }
    }
  }
  return files;
}

interface MibFileHeader {
  file: string;
  module: string;
  imports: string[];
}

const MAX_MIB_FILE_BYTES = 8 * 1024 * 1024;

/** net-snmp's compiler resolves OIDs only against modules already loaded, so imported modules must load first. */
function inDependencyOrder(files: string[], skipped: SkippedMibFile[]): MibFileHeader[] {
  const byModule = new Map<string, MibFileHeader>();
  for (const file of files) {
    const header = readHeader(file);
    if (typeof header === 'string') skipped.push({ file, reason: header });
    else if (!byModule.has(header.module)) byModule.set(header.module, header);
    else skipped.push({ file, reason: `module ${header.module} is already defined by ${byModule.get(header.module)!.file}` });
  }
  const ordered: MibFileHeader[] = [];
  const visited = new Set<string>();
  const visit = (header: MibFileHeader): void => {
    if (visited.has(header.module)) return;
    visited.add(header.module);
    for (const imported of header.imports) {
      const dependency = byModule.get(imported);
      if (dependency) visit(dependency);
    }
    ordered.push(header);
  };
  for (const header of byModule.values()) visit(header);
  return ordered;
}

function readHeader(file: string): MibFileHeader | string {
  let text: string;
  try {
    if (statSync(file).size > MAX_MIB_FILE_BYTES) return `larger than ${MAX_MIB_FILE_BYTES} bytes`;
    text = readFileSync(file, 'latin1');
  } catch (err) {
    return `cannot read file (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const definition = /^\s*([A-Za-z][\w-]*)\s+DEFINITIONS\s*::=\s*BEGIN/m.exec(text);
  if (!definition) return 'no "<MODULE> DEFINITIONS ::= BEGIN" line: not a MIB module';
  const importsSection = /\bIMPORTS\b([\s\S]*?);/.exec(text.slice(definition.index))?.[1] ?? '';
  const imports = [...new Set([...importsSection.matchAll(/\bFROM\s+([A-Za-z][\w-]*)/g)].map((m) => m[1]))];
  return { file, module: definition[1], imports };
}

/**
 * net-snmp's parser recompiles every file it has seen on each load, so a file that breaks the compiler
 * must be removed from the parser state, or every later load would fail too.
 */
function loadMibFile(store: NetSnmpModuleStore, file: string, skipped: SkippedMibFile[], hint = ''): void {
  const modulesBefore = new Set(Object.keys(store.parser.Modules));
  try {
    quietly(() => store.loadFromFile(file));
    if (!Object.keys(store.parser.Modules).some((name) => !modulesBefore.has(name))) {
      throw new Error('the file defines no new MIB module');
    }
  } catch (err) {
    forgetFile(store, file, modulesBefore);
    skipped.push({ file, reason: `${err instanceof Error ? err.message : String(err)}${hint}` });
  }
}

function forgetFile(store: NetSnmpModuleStore, file: string, modulesBefore: Set<string>): void {
  const key = basename(file, extname(file));
  const { CharBuffer, SymbolBuffer, Modules } = store.parser;
  const moduleName = CharBuffer.ModuleName[key];
  delete CharBuffer.Table[key];
  delete CharBuffer.ModuleName[key];
  if (moduleName !== undefined && !modulesBefore.has(moduleName)) delete SymbolBuffer[moduleName];
  for (const name of Object.keys(Modules)) if (!modulesBefore.has(name)) delete Modules[name];
}

/** The MIB parser reports problems on the console; keep startup output to the service's own logger. */
function quietly<T>(fn: () => T): T {
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  try {
    return fn();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
