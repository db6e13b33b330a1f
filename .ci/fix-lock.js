#!/usr/bin/env node
// Adds package-lock entries for optional platform packages (@swc/core-darwin-arm64, …) that a
// registry mirror without them leaves out of the lock when `npm install` writes it: npm ci then
// refuses the lock ("Missing: … from lock file"). Each entry names the package's version, os and
// cpu, so it is skipped on other platforms and fetched on its own. Idempotent; run after installing
// a dependency (`npm run lock:fix`); .ci/run runs it before `npm ci`.
const fs = require('fs');
const file = require('path').join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pk = lock.packages;
const plat = (name) => {
  const m = /-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+)(?:-(gnu|musl|gnueabihf|musleabihf|msvc|eabi))?$/.exec(name);
  if (!m) return null;
  const cpu = { arm: 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' }[m[2]];
  const libc = m[3] === 'gnu' || m[3] === 'gnueabihf' ? ['glibc'] : m[3] === 'musl' || m[3] === 'musleabihf' ? ['musl'] : undefined;
  return { os: [m[1]], cpu: [cpu], ...(libc && { libc }) };
};
let added = 0;
for (const entry of Object.values(pk)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pk[key]) continue;
    const p = plat(dep);
    if (!p) continue;
    pk[key] = { version, ...p, optional: true };
    added++;
  }
}
if (added) {
  fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
  console.log(`package-lock.json: added ${added} optional platform entries`);
}
