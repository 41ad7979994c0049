// Lists the largest functions of a .wasm file by body size, using its "name" custom section
// (present in cargo's output before wasm-opt strips it), grouped by crate.
// Usage: node tools/wasm-sizes.mjs path/to/module.wasm [top=25]
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] ?? 25);
let pos = 8;
const leb = () => {
  let result = 0,
    shift = 0,
    b;
  do {
    b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
};
let importedFuncs = 0;
const bodies = [];
const names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) {
    // imports: count function imports so indices line up
    const n = leb();
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 2; k++) {
        const l = leb();
        pos += l;
      }
      const kind = bytes[pos++];
      if (kind === 0) {
        leb();
        importedFuncs++;
      } else if (kind === 1) {
        pos++;
        const f = leb();
        leb();
        if (f & 1) leb();
      } else if (kind === 2) {
        const f = leb();
        leb();
        if (f & 1) leb();
      } else if (kind === 3) {
        pos += 2;
      } else if (kind === 4) {
        pos++;
        leb();
      }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      const s = leb();
      bodies.push(s);
      pos += s;
    }
  } else if (id === 0) {
    const l = leb();
    const name = bytes.subarray(pos, pos + l).toString();
    pos += l;
    if (name === 'name') {
      while (pos < end) {
        const sub = bytes[pos++];
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const n = leb();
          for (let i = 0; i < n; i++) {
            const idx = leb();
            const nl = leb();
            names.set(idx, bytes.subarray(pos, pos + nl).toString());
            pos += nl;
          }
        }
        pos = subEnd;
      }
    }
  }
  pos = end;
}
const rows = bodies.map((size, i) => ({ size, name: names.get(i + importedFuncs) ?? `func${i + importedFuncs}` }));
const total = rows.reduce((a, r) => a + r.size, 0);
console.log(`code: ${total} bytes in ${rows.length} functions (file ${bytes.length} bytes)`);
const crateOf = (n) => {
  const m = n.match(/^_?<?(?:_ZN)?[^a-zA-Z]*([a-zA-Z_][a-zA-Z0-9_]*)(?:::|\.\.|\d)/);
  return m ? m[1] : n.split(/[:<]/)[0];
};
const byCrate = new Map();
for (const r of rows) byCrate.set(crateOf(r.name), (byCrate.get(crateOf(r.name)) ?? 0) + r.size);
console.log('by crate:');
for (const [c, s] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${String(s).padStart(8)}  ${c}`);
console.log('largest functions:');
for (const r of rows.sort((a, b) => b.size - a.size).slice(0, top)) console.log(`  ${String(r.size).padStart(8)}  ${r.name.slice(0, 140)}`);
