import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { distance as levenshtein } from 'fastest-levenshtein';
import { AdapterError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { isSmiKeyword, MibIndex, type MibModuleInfo, type MibModuleInput, type MibNode, type MibProblem, type MibSource } from './mib-index.ts';
import { MibSyntaxError, parseMibText, type ParsedModule } from './mib-parser.ts';
import { isDottedDecimal, numericOidProblem, parseNumericOid } from './oid.ts';
import { compareOids, inSubtree } from './walk.ts';
import type { MibModule, MibTranslation, TranslateQuery } from './schemas.ts';

export type { MibModuleInfo, MibNode, MibProblem, MibSource } from './mib-index.ts';

/** The standard MIB set shipped with the service (mibs/, with its licence beside it). */
export const BUNDLED_MIB_DIR = join(PROJECT_ROOT, 'mibs');

export interface SkippedMibFile {
  file: string;
  reason: string;
}

/** A MIB file as uploaded: its name (for messages) and its text. */
export interface MibUpload {
  file: string;
  text: string;
}

export interface MibResolverOptions {
  /** SNMP_MIB_DIRS: loaded on top of the bundled set (a module of the same name replaces the bundled one). */
  mibDirs: string[];
  /** MIB_STORE_DIR: where uploaded modules are kept across restarts; uploads live in memory only without it. */
  storeDir?: string;
  /** At most this many uploaded modules (SNMP_MIB_UPLOAD_MAX_MODULES). */
  maxUploadedModules?: number;
  /** The bundled set; BUNDLED_MIB_DIR unless a test says otherwise. */
  bundledDir?: string;
}

interface LoadedModule extends MibModuleInput {
  /** The module's own text, kept for uploaded modules (written to the store). */
  text?: string;
}

/** An upload or a deletion of uploaded modules, as another process replays it (cluster workers). */
export type MibChange = { op: 'upload'; files: MibUpload[] } | { op: 'remove'; module: string };

interface ChangeOptions {
  /** The change was made by another process and is replayed here (apply()): listeners are not told. */
  replicated?: boolean;
}

const MAX_MIB_FILE_BYTES = 8 * 1024 * 1024;
const MODULE_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Translates between numeric OIDs and MIB names, and knows each object's syntax, access, enums, display
 * hint and INDEX. Modules come in three layers, each replacing same-named modules of the one below: the
 * bundled standard set, SNMP_MIB_DIRS, and uploads (POST /snmp/mibs, kept in MIB_STORE_DIR). The index is
 * swapped whole when modules are added or removed. Only uploaded modules are kept parsed: the files of the
 * other two layers are parsed again for each change (a fraction of a second), rather than held in memory
 * (2–3 MB for the standard set) for the rare upload.
 */
export class MibResolver {
  private index: MibIndex;
  /** The uploaded layer, parsed. */
  private uploaded: Map<string, LoadedModule>;
  /** Reads and parses the bundled and SNMP_MIB_DIRS layers again. */
  private readonly readFileLayers: () => Map<string, LoadedModule>[];
  private readonly storeDir: string | undefined;
  private readonly maxUploaded: number;
  private skippedFiles: SkippedMibFile[];
  /** Every node's OID in OID order, for the index it was made from (sorted on first use). */
  private sorted: { index: MibIndex; oids: string[] } | undefined;
  /** Uploads and deletions one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changeListeners = new Set<(change: MibChange) => void>();

  private constructor(layers: Map<string, LoadedModule>[], skipped: SkippedMibFile[], options: MibResolverOptions) {
    this.uploaded = layers[2];
    this.readFileLayers = () => readFileLayers(options, []);
    this.storeDir = options.storeDir;
    this.maxUploaded = options.maxUploadedModules ?? 256;
    const built = buildIndex(layers);
    this.index = built.index;
    this.skippedFiles = [...skipped, ...built.skipped];
  }

  static create(options: MibResolverOptions): MibResolver {
    const skipped: SkippedMibFile[] = [];
    const [bundled, dirs] = readFileLayers(options, skipped);
    let uploaded = new Map<string, LoadedModule>();
    if (options.storeDir !== undefined) {
      mkdirSync(options.storeDir, { recursive: true });
      uploaded = readLayer([options.storeDir], 'uploaded', skipped, true);
    }
    return new MibResolver([bundled, dirs, uploaded], skipped, options);
  }

  /** Files and modules that could not be loaded, with the reason. */
  get skipped(): readonly SkippedMibFile[] {
    return this.skippedFiles;
  }

  /** Names of the loaded modules, in load order. */
  get modules(): readonly string[] {
    return this.index.modules.map((m) => m.name);
  }

  moduleInfo(): readonly MibModuleInfo[] {
    return this.index.modules;
  }

  /** The loaded modules as the API lists them. */
  listModules(): MibModule[] {
    return this.index.modules.map(publicModule);
  }

  /** Both ways, like snmptranslate: a name (with or without instance) or a numeric OID, and what the MIB says of it. */
  translate(query: TranslateQuery): MibTranslation {
    const oid = this.toNumeric(query.name ?? query.oid ?? '');
    const found = this.lookup(oid);
    if (!found) throw new AdapterError('NOT_FOUND', 'snmp', `no loaded MIB knows ${oid} nor any of its prefixes`);
    const { node, suffix } = found;
    const { syntax } = node;
    const translation: MibTranslation = {
      oid,
      name: suffix === '' ? node.qualified : `${node.qualified}.${suffix}`,
      module: node.module,
      object: node.name,
      kind: node.macro,
    };
    if (suffix !== '') translation.instance = suffix;
    if (syntax) {
      translation.syntax = { name: syntax.name, base: syntax.base, textualConventions: [...syntax.textualConventions] };
      if (syntax.displayHint !== undefined) translation.syntax.displayHint = syntax.displayHint;
      if (syntax.enums) translation.syntax.enums = Object.fromEntries([...syntax.enums].map(([value, name]) => [name, value]));
      if (syntax.sizes) translation.syntax.sizes = syntax.sizes.map(([low, high]) => [low, high]);
    }
    if (node.access !== undefined) translation.access = node.access;
    if (node.status !== undefined) translation.status = node.status;
    if (node.units !== undefined) translation.units = node.units;
    if (node.description !== undefined) translation.description = node.description;
    if (node.index !== undefined) translation.index = node.index.map((item) => ({ ...item }));
    if (node.augments !== undefined) translation.augments = node.augments;
    return translation;
  }

  /** Accepts '1.3.6.1.2.1.1.5.0', '.1.3.6.1…', 'SNMPv2-MIB::sysName.0', 'sysName.0', 'IF-MIB::linkDown'. */
  toNumeric(oid: string): string {
    const text = oid.trim();
    const numeric = parseNumericOid(text);
    if (numeric) {
      if (numeric.problem !== undefined) throw invalidOid(numeric.problem);
      return numeric.oid;
    }
    const { node, suffix } = this.parseName(text);
    if (!node) throw this.unknownName(suffix === undefined ? text : text.slice(0, text.length - suffix.length - 1));
    if (suffix !== undefined && !isDottedDecimal(suffix)) throw invalidOid(`"${oid}" has an instance suffix that is not numeric`);
    const full = suffix === undefined ? node.oid : `${node.oid}.${suffix}`;
    const problem = numericOidProblem(full);
    if (problem !== undefined) throw invalidOid(`"${oid}" is ${full}, which is not a valid OID: ${problem}`);
    return full;
  }

  /** The node a name designates ('IF-MIB::ifTable', 'ifEntry') or a numeric OID that is exactly a node. */
  node(nameOrOid: string): MibNode | undefined {
    const numeric = parseNumericOid(nameOrOid.trim());
    if (numeric) return numeric.problem === undefined ? this.index.byOid.get(numeric.oid) : undefined;
    const { node, suffix } = this.parseName(nameOrOid.trim());
    return suffix === undefined ? node : undefined;
  }

  /** 'unknown MIB name', with the loaded names closest to it (`sysNme` → `sysName`). */
  private unknownName(name: string): AdapterError {
    const separator = name.indexOf('::');
    const suggestions = separator >= 0
      ? closestNames(name, this.index.byQualified.keys())
      : closestNames(name, this.index.byName.keys());
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    return invalidOid(`unknown MIB name "${name}"${hint}`);
  }

  /** The node `MODULE::name` or `name`, and the text after it ('0' in 'sysName.0'). */
  private parseName(text: string): { node?: MibNode; suffix?: string } {
    const separator = text.indexOf('::');
    const dot = text.indexOf('.', separator >= 0 ? separator + 2 : 0);
    const base = dot >= 0 ? text.slice(0, dot) : text;
    const suffix = dot >= 0 ? text.slice(dot + 1) : undefined;
    const node = separator >= 0 ? this.index.byQualified.get(base) : this.index.byName.get(base);
    return { node, suffix };
  }

  /** The longest known MIB prefix plus the instance suffix ('IF-MIB::ifDescr.2'); undefined when none is known. */
  nameOf(numericOid: string): string | undefined {
    const found = this.lookup(numericOid);
    return found && (found.suffix === '' ? found.node.qualified : `${found.node.qualified}.${found.suffix}`);
  }

  /**
   * The node of the longest known prefix of `numericOid`, and the rest ('' for the node itself). A walk asks for
   * every instance of a column in a row: when the last node found has nothing under it in the index, an OID under
   * it is its instance without probing the index prefix by prefix.
   */
  lookup(numericOid: string): { node: MibNode; suffix: string } | undefined {
    const oid = numericOid.charCodeAt(0) === 46 ? numericOid.slice(1) : numericOid;
    let memo = this.lookupMemo;
    if (memo?.index !== this.index) memo = this.lookupMemo = { index: this.index, leaves: new Map() };
    const last = memo.lastLeaf;
    if (last !== undefined && inSubtree(last.oid, oid)) return { node: last.node, suffix: oid.slice(last.oid.length + 1) };
    const byOid = this.index.byOid;
    let end = oid.length;
    for (;;) {
      const prefix = end === oid.length ? oid : oid.slice(0, end);
      const node = byOid.get(prefix);
      if (node !== undefined) {
        if (end < oid.length && this.isLeaf(memo.leaves, node, prefix)) memo.lastLeaf = { oid: prefix, node };
        return { node, suffix: end === oid.length ? '' : oid.slice(end + 1) };
      }
      end = oid.lastIndexOf('.', end - 1);
      if (end <= 0) return undefined;
    }
  }

  /** lookup's memory for one index: which nodes have no node under them, and the last such node it found. */
  private lookupMemo: { index: MibIndex; leaves: Map<MibNode, boolean>; lastLeaf?: { oid: string; node: MibNode } } | undefined;

  /** True when no node of the index lies under this one. */
  private isLeaf(leaves: Map<MibNode, boolean>, node: MibNode, oid: string): boolean {
    let leaf = leaves.get(node);
    if (leaf === undefined) {
      leaf = this.oidsUnder(oid).length === 0;
      leaves.set(node, leaf);
    }
    return leaf;
  }

  columnsOf(entry: MibNode): readonly MibNode[] {
    return this.index.columnsOf(entry);
  }

  /** The OIDs of the loaded MIB nodes strictly under `root`, in OID order (where a parallel walk may split). */
  oidsUnder(root: string): readonly string[] {
    if (this.sorted?.index !== this.index) this.sorted = { index: this.index, oids: [...this.index.byOid.keys()].sort(compareOids) };
    const { oids } = this.sorted;
    let low = 0;
    let high = oids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareOids(oids[middle], root) <= 0) low = middle + 1;
      else high = middle;
    }
    let end = low;
    while (end < oids.length && inSubtree(root, oids[end])) end++;
    return oids.slice(low, end);
  }

  /** The qualified name's node ('IF-MIB::ifEntry'). */
  byQualifiedName(qualified: string): MibNode | undefined {
    return this.index.byQualified.get(qualified);
  }

  /**
   * Loads uploaded modules without a restart, keeps them in the store, and swaps the index. Refuses the
   * whole upload (UNPROCESSABLE, every problem with its file and line) when any module does not parse, imports
   * a module that is not loaded, or defines an object that does not resolve.
   */
  upload(files: readonly MibUpload[], options: ChangeOptions = {}): Promise<MibModuleInfo[]> {
    return this.serialized(async () => {
      const problems: MibProblem[] = [];
      const added = new Map<string, LoadedModule>();
      for (const { file, text } of files) {
        let parsed: ParsedModule[];
        try {
          parsed = parseMibText(text);
        } catch (err) {
          if (!(err instanceof MibSyntaxError)) throw err;
          problems.push({ file, line: err.line, message: err.message });
          continue;
        }
        const lines = text.split('\n');
        for (const module of parsed) {
          if (!MODULE_NAME.test(module.name)) {
            problems.push({ file, line: module.line, module: module.name, message: `module name ${module.name} is not a valid MIB module name` });
          } else if (added.has(module.name)) {
            problems.push({ file, line: module.line, module: module.name, message: `module ${module.name} is uploaded twice` });
          } else {
            const moduleText = `${lines.slice(module.line - 1, module.endLine).join('\n')}\n`;
            added.set(module.name, { parsed: module, file, source: 'uploaded', text: moduleText });
          }
        }
      }
      if (problems.length > 0) throw unprocessable(problems);
      const uploaded = new Map(this.uploaded);
      for (const [name, module] of added) uploaded.set(name, module);
      if (uploaded.size > this.maxUploaded) {
        throw new AdapterError('UNPROCESSABLE', 'snmp', `at most ${this.maxUploaded} uploaded modules are kept (SNMP_MIB_UPLOAD_MAX_MODULES); delete some first`, {
          mibErrors: [],
        });
      }
      const built = buildIndex([...this.readFileLayers(), uploaded]);
      const failed = built.problems.filter((p) => p.module !== undefined && added.has(p.module));
      if (failed.length > 0) throw unprocessable(failed);
      const kept = new Set(built.index.modules.map((m) => m.name));
      const lost = built.problems.filter((p) => p.module !== undefined && this.index.modules.some((m) => m.name === p.module) && !kept.has(p.module));
      if (lost.length > 0) throw unprocessable(lost.map((p) => ({ ...p, message: `the upload would unload ${p.module}: ${p.message}` })));
      for (const module of added.values()) await this.store(module);
      this.uploaded = uploaded;
      this.index = built.index;
      if (!options.replicated) this.changed({ op: 'upload', files: files.map(({ file, text }) => ({ file, text })) });
      return built.index.modules.filter((m) => added.has(m.name));
    });
  }

  /** upload(), with the modules as the API lists them. */
  async uploadModules(files: readonly MibUpload[]): Promise<MibModule[]> {
    return (await this.upload(files)).map(publicModule);
  }

  /** Removes an uploaded module (and its stored file). Bundled and SNMP_MIB_DIRS modules stay. */
  remove(moduleName: string, options: ChangeOptions = {}): Promise<void> {
    return this.serialized(async () => {
      const info = this.index.modules.find((m) => m.name === moduleName);
      if (!info) throw new AdapterError('NOT_FOUND', 'snmp', `no loaded MIB module is named ${moduleName}`);
      if (info.source !== 'uploaded') {
        throw new AdapterError('CONFLICT', 'snmp', `${moduleName} is a ${info.source === 'bundled' ? 'bundled' : 'SNMP_MIB_DIRS'} module; only uploaded modules can be deleted`);
      }
      const fileLayers = this.readFileLayers();
      const current = allLayers([...fileLayers, this.uploaded]);
      const uploaded = new Map(this.uploaded);
      const removed = uploaded.get(moduleName)!;
      uploaded.delete(moduleName);
      const replacement = fileLayers[1].get(moduleName) ?? fileLayers[0].get(moduleName);
      const dependents = this.index.modules
        .filter((m) => m.name !== moduleName && current.get(m.name)?.parsed.imports.some((i) => i.module === moduleName))
        .map((m) => m.name);
      if (dependents.length > 0 && !replacement) {
        throw new AdapterError('CONFLICT', 'snmp', `${moduleName} is imported by ${dependents.join(', ')}: delete those first`, { dependents });
      }
      const built = buildIndex([...fileLayers, uploaded]);
      if (this.storeDir !== undefined) await unlink(join(this.storeDir, storedFileName(removed.parsed.name))).catch(ignoreMissing);
      this.uploaded = uploaded;
      this.index = built.index;
      if (!options.replicated) this.changed({ op: 'remove', module: moduleName });
    });
  }

  /**
   * Calls `listener` after each upload or deletion made through this resolver (not those replicated
   * with apply()): a cluster worker tells the other processes, which apply() it. Returns how to stop.
   */
  onChange(listener: (change: MibChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Makes a change another process made (an upload or a deletion), without telling onChange listeners. */
  async apply(change: MibChange): Promise<void> {
    if (change.op === 'upload') await this.upload(change.files, { replicated: true });
    else await this.remove(change.module, { replicated: true });
  }

  private changed(change: MibChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  private async store(module: LoadedModule): Promise<void> {
    if (this.storeDir === undefined || module.text === undefined) return;
    const path = join(this.storeDir, storedFileName(module.parsed.name));
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, module.text, 'latin1');
    await rename(temporary, path);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function publicModule({ name, source, file, objects }: MibModuleInfo): MibModule {
  return { name, source, file: basename(file), objects };
}

function storedFileName(module: string): string {
  return `${module}.txt`;
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** At most three names within a small edit distance of `name` (case-insensitive), closest first. */
export function closestNames(name: string, candidates: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const allowed = Math.max(1, Math.min(3, Math.floor(wanted.length / 4)));
  const near: { candidate: string; cost: number }[] = [];
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - wanted.length) > allowed) continue;
    const cost = levenshtein(wanted, candidate.toLowerCase());
    if (cost <= allowed) near.push({ candidate, cost });
  }
  return near.sort((a, b) => a.cost - b.cost || a.candidate.localeCompare(b.candidate)).slice(0, 3).map((n) => n.candidate);
}

function invalidOid(message: string): AdapterError {
  return new AdapterError('INVALID_INPUT', 'snmp', message);
}

/** Problems listed in one 422 at most (a hostile upload could have thousands). */
const MAX_LISTED_PROBLEMS = 100;

function unprocessable(problems: MibProblem[]): AdapterError {
  const first = problems[0];
  const missing = [...new Set(problems.flatMap((p) => p.missingImports ?? []))];
  const summary = missing.length > 0 ? `; missing IMPORTS: ${missing.join(', ')}` : '';
  return new AdapterError('UNPROCESSABLE', 'snmp', `${first.file} line ${first.line}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}${summary}`, {
    mibErrors: problems.slice(0, MAX_LISTED_PROBLEMS),
  });
}

/** The modules of every layer, upper layers replacing lower ones, in load order. */
function allLayers(layers: readonly Map<string, LoadedModule>[]): Map<string, LoadedModule> {
  const merged = new Map<string, LoadedModule>();
  for (const layer of layers) for (const [name, module] of layer) merged.set(name, module);
  return merged;
}

/**
 * Builds the index from the layers. A module that imports a module that is not loaded, or one of whose
 * definitions does not resolve, is left out (with its problem), and so, in turn, are the modules importing it.
 */
function buildIndex(layers: readonly Map<string, LoadedModule>[]): { index: MibIndex; problems: MibProblem[]; skipped: SkippedMibFile[] } {
  const candidates = allLayers(layers);
  const problems: MibProblem[] = [];
  for (;;) {
    let removed = false;
    for (const [name, module] of candidates) {
      const missing = module.parsed.imports.filter((i) => !candidates.has(i.module) && !i.symbols.every(isSmiKeyword));
      if (missing.length === 0) continue;
      const first = missing[0];
      problems.push({
        file: module.file,
        line: first.line,
        module: name,
        message: `${name} imports from ${missing.map((m) => m.module).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not loaded`,
        missingImports: missing.map((m) => m.module),
      });
      candidates.delete(name);
      removed = true;
    }
    if (removed) continue;
    const index = new MibIndex([...candidates.values()]);
    const failed = index.modules.filter((m) => m.problems.length > 0);
    if (failed.length === 0) return { index, problems, skipped: problems.map(toSkipped) };
    for (const module of failed) {
      problems.push(...module.problems);
      candidates.delete(module.name);
    }
  }
}

function toSkipped(problem: MibProblem): SkippedMibFile {
  return { file: problem.file, reason: `${problem.module ? `${problem.module}: ` : ''}line ${problem.line}: ${problem.message}` };
}

/** The bundled layer and the SNMP_MIB_DIRS layer, read and parsed from their files. */
function readFileLayers(options: MibResolverOptions, skipped: SkippedMibFile[]): Map<string, LoadedModule>[] {
  return [readLayer([options.bundledDir ?? BUNDLED_MIB_DIR], 'bundled', skipped), readLayer(options.mibDirs, 'dir', skipped)];
}

/** Reads the MIB files of `dirs` into one layer; later files do not replace earlier modules of the same name. */
function readLayer(dirs: readonly string[], source: MibSource, skipped: SkippedMibFile[], keepText = false): Map<string, LoadedModule> {
  const layer = new Map<string, LoadedModule>();
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      skipped.push({ file: dir, reason: `cannot read directory (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for (const entry of entries) {
      if (entry.startsWith('.') || /^(README|COPYING|LICEN[CS]E)/i.test(entry)) continue;
      const file = join(dir, entry);
      let text: string;
      try {
        const stat = statSync(file);
        if (!stat.isFile()) continue;
        if (stat.size > MAX_MIB_FILE_BYTES) {
          skipped.push({ file, reason: `larger than ${MAX_MIB_FILE_BYTES} bytes` });
          continue;
        }
        text = readFileSync(file, 'latin1');
      } catch (err) {
        skipped.push({ file, reason: `cannot read file (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      let modules: ParsedModule[];
      try {
        modules = parseMibText(text);
      } catch (err) {
        if (!(err instanceof MibSyntaxError)) throw err;
        skipped.push({ file, reason: `line ${err.line}: ${err.message}` });
        continue;
      }
      for (const parsed of modules) {
        const existing = layer.get(parsed.name);
        if (existing) skipped.push({ file, reason: `module ${parsed.name} is already defined by ${existing.file}` });
        else layer.set(parsed.name, { parsed, file, source, ...(keepText ? { text } : {}) });
      }
    }
  }
  return layer;
}
