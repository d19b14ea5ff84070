#!/usr/bin/env node
// snmpd pass_persist helper: serves a synthetic one-column table of N rows under BASE.1.<row>,
// so the large-walk benchmark can walk >= 100 000 varbinds from a real snmpd.
// Protocol (snmpd.conf(5), "pass_persist"): PING -> PONG; get|getnext, OID -> OID, TYPE, VALUE or NONE.
import { createInterface } from 'node:readline';

const BASE = (process.argv[2] ?? '.1.3.6.1.4.1.99999').replace(/^\.?/, '.');
const ROWS = Number(process.argv[3] ?? 100_000);
const COLUMN = `${BASE}.1`;
const COLUMN_PARTS = COLUMN.slice(1).split('.').map(Number);

const out = [];
let pendingCommand = null;

function answer(row) {
  if (row < 1 || row > ROWS) return 'NONE';
  return `${COLUMN}.${row}\nstring\nrow-${row}-synthetic-value`;
}

/** Compares the requested OID with the column: returns the row to answer for getnext. */
function nextRow(oid) {
  const parts = oid.replace(/^\./, '').split('.').map(Number);
  for (let i = 0; i < COLUMN_PARTS.length; i++) {
    if (i >= parts.length) return 1; // a prefix of the column: first row
    if (parts[i] < COLUMN_PARTS[i]) return 1;
    if (parts[i] > COLUMN_PARTS[i]) return ROWS + 1;
  }
  if (parts.length === COLUMN_PARTS.length) return 1;
  return parts[COLUMN_PARTS.length] + 1; // the row itself or any OID below it: the next row
}

function exactRow(oid) {
  const prefix = `${COLUMN}.`;
  const normalized = oid.startsWith('.') ? oid : `.${oid}`;
  if (!normalized.startsWith(prefix)) return 0;
  const rest = normalized.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : 0;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const text = line.trim();
  if (pendingCommand === null) {
    if (text === 'PING') out.push('PONG');
    else if (text === 'get' || text === 'getnext' || text === 'set') pendingCommand = text;
    else if (text === '') process.exit(0);
  } else {
    const command = pendingCommand;
    pendingCommand = null;
    if (command === 'get') out.push(answer(exactRow(text)));
    else if (command === 'getnext') out.push(answer(nextRow(text)));
    else if (command === 'set') {
      pendingCommand = 'set-value'; // the value line follows
      return;
    } else out.push('not-writable');
  }
  flush();
});
lines.on('close', () => process.exit(0));

function flush() {
  if (out.length === 0) return;
  process.stdout.write(`${out.join('\n')}\n`);
  out.length = 0;
}
