#!/usr/bin/env node
// Makes sure a Chromium is available for the browser tests, which never skip silently.
// Order: $CHROMIUM_PATH, the usual system paths, then (as root on Debian) `apt-get install chromium`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
].filter(Boolean);

const found = () => candidates.find((p) => fs.existsSync(p));

if (found()) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = fs.existsSync('/etc/debian_version');
if (isRoot && isDebian) {
  console.warn('Chromium introuvable : installation du paquet Debian « chromium » (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env,
  });
  if (found()) process.exit(0);
}

console.error(
  [
    'Les tests navigateur ont besoin de Chromium et aucun n’a été trouvé.',
    '  - Debian/Ubuntu : sudo apt-get install chromium',
    '  - ailleurs : installez Chromium ou Chrome puis exportez CHROMIUM_PATH=/chemin/vers/chromium',
  ].join('\n'),
);
process.exit(1);
