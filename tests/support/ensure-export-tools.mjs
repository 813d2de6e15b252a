#!/usr/bin/env node
// Makes sure the readers the export tests use are installed: `pdftotext` and `pdfinfo` (Debian's
// poppler-utils) read PDFs back, `pandoc` reads DOCX and ODT back. The export tests never skip
// silently. Order: already on the PATH, then (as root on Debian) `apt-get install`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Command → Debian package that provides it. */
const tools = {
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pandoc: 'pandoc',
};

const onPath = (command) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

const missing = () => Object.keys(tools).filter((command) => !onPath(command));

if (missing().length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = fs.existsSync('/etc/debian_version');
if (isRoot && isDebian) {
  const packages = [...new Set(missing().map((command) => tools[command]))];
  console.warn(
    `Outils de lecture des exports introuvables : installation de ${packages.join(', ')} (apt-get)…`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  if (missing().length === 0) process.exit(0);
}

console.error(
  [
    `Les tests des exports relisent chaque format avec de vrais lecteurs ; introuvables : ${missing().join(', ')}.`,
    '  - Debian/Ubuntu : sudo apt-get install poppler-utils pandoc',
    '  - ailleurs : installez poppler (pdftotext, pdfinfo, pdftoppm) et pandoc, puis mettez-les dans le PATH',
  ].join('\n'),
);
process.exit(1);
