#!/usr/bin/env node
/*
 * The package registry this project's machines reach serves only the Linux builds of packages
 * that ship one native binary per platform (@swc/core-darwin-arm64 and the like answer 404).
 * `npm install` then leaves those optional entries out of package-lock.json, and `npm ci`
 * refuses the lockfile as "out of sync". This adds the missing entries back as npm itself would
 * write them on a full registry (name, version, os/cpu, optional), without resolved/integrity:
 * npm skips them on a platform they do not match and never downloads them.
 *
 * Usage: node .ci/lockfile-platform-stubs.js [--check]   (run after `npm install <pkg>`)
 */
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', wasm32: 'wasm32' };

/** os, cpu and libc from a platform package's name, e.g. "@swc/core-linux-arm64-musl". */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return null;
  let libc;
  if (os === 'linux' && parts.includes('musl')) libc = ['musl'];
  else if (os === 'linux' && parts.some((p) => p === 'gnu' || p.startsWith('gnueabi'))) libc = ['glibc'];
  return { cpu: [cpu], os: [os], libc };
}

/** Where Node would find `dep` from the package at `at` (its own node_modules, then upwards). */
function resolve(at, dep) {
  let dir = at;
  for (;;) {
    const candidate = (dir ? `${dir}/` : '') + `node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const idx = dir.lastIndexOf('/node_modules/');
    dir = idx === -1 ? '' : dir.slice(0, idx);
  }
}

const added = [];
for (const [at, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolve(at, dep)) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
    const key = `node_modules/${dep}`;
    if (packages[key]) continue;
    // Key order as npm writes it, so a later `npm install` leaves these lines alone.
    packages[key] = {
      version: spec,
      cpu: platform.cpu,
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: platform.libc } : {}),
      optional: true,
      os: platform.os,
    };
    added.push(`${dep}@${spec}`);
  }
}

if (process.argv.includes('--check')) {
  if (added.length) {
    console.error(`package-lock.json lacks ${added.length} platform entries; run node .ci/lockfile-platform-stubs.js`);
    process.exit(1);
  }
  process.exit(0);
}
if (added.length) {
  // npm keeps "packages" sorted by path.
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))));
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(added.length ? `added ${added.length} platform entries:\n  ${added.join('\n  ')}` : 'package-lock.json already lists every platform entry');
