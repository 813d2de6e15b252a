import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../support/accounts.js';
import { repoRoot, spawnServer, tempDataDir, type ChildServer } from '../support/server.js';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'server/dist/cli.js');

let dataDir: string;
let server: ChildServer;

async function essaim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await spawnServer(dataDir);
});

afterAll(() => {
  server.process.kill('SIGTERM');
});

describe('operator command line, on the DATA_DIR of a running server', () => {
  it('creates an account, an espace and a membership that the running server honours at once', async () => {
    const user = await essaim(
      'user:create',
      '--email',
      'Camille@HCTS.example',
      '--name',
      'Camille',
      '--password',
      'un-mot-de-passe-solide',
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toContain('Compte créé : Camille <camille@hcts.example>');

    const espace = await essaim('espace:create', '--name', 'Pair-aidance');
    expect(espace.code).toBe(0);
    const espaceId = espace.stdout.trim().split('\n').pop() as string;
    expect(espaceId).toMatch(/^[0-9a-f-]{36}$/);

    const member = await essaim(
      'member:add',
      '--espace',
      espaceId,
      '--email',
      'camille@hcts.example',
      '--role',
      'rapporteur',
    );
    expect(member.code).toBe(0);

    const session = await login(server.url, 'camille@hcts.example', 'un-mot-de-passe-solide');
    const espaces = (await (await session.fetch('/api/espaces')).json()) as {
      espaces: { id: string; role: string }[];
    };
    expect(espaces.espaces).toEqual([{ id: espaceId, name: 'Pair-aidance', role: 'rapporteur' }]);
  });

  it.each([
    [
      ['user:create', '--email', 'pas-une-adresse', '--name', 'X', '--password', 'un-mot-de-passe-solide'],
      'L’adresse électronique n’est pas valide.',
    ],
    [['user:create', '--email', 'x@y.fr', '--name', 'X', '--password', 'court'], 'au moins 12 caractères'],
    [['espace:create'], 'Le nom de l’espace est obligatoire.'],
    [
      ['member:add', '--espace', 'x', '--email', 'x@y.fr', '--role', 'chef'],
      '--role doit être animateur, rapporteur ou membre.',
    ],
    [['user:create', '--inconnu', 'x'], 'Option invalide'],
    [['fabriquer'], 'Commande inconnue : fabriquer'],
  ])('exits with code 2 and a French message on bad arguments: %j', async (args, expected) => {
    const result = await essaim(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(expected);
  });

  it('exits with code 1 when the operation is refused', async () => {
    const twice = await essaim(
      'user:create',
      '--email',
      'double@hcts.example',
      '--name',
      'D',
      '--password',
      'un-mot-de-passe-solide',
    );
    expect(twice.code).toBe(0);
    const again = await essaim(
      'user:create',
      '--email',
      'double@hcts.example',
      '--name',
      'D',
      '--password',
      'un-mot-de-passe-solide',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Un compte existe déjà');
    const noEspace = await essaim(
      'member:add',
      '--espace',
      'inexistant',
      '--email',
      'double@hcts.example',
      '--role',
      'membre',
    );
    expect(noEspace.code).toBe(1);
    expect(noEspace.stderr).toContain('Cet espace de travail n’existe pas.');
  });
});
