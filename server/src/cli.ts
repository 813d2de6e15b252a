import path from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError, isEspaceRole } from '@essaim/domain';
import { createEspaceInput, setupInput } from '@essaim/protocol';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { checkDocuments } from './services/documentCheck.js';
import { buildServices } from './services/index.js';
import { openDatabase } from './storage/db.js';

/**
 * Operator commands on the same DATA_DIR as the server (safe while it runs: SQLite WAL with a
 * busy timeout). Messages are French; a bad argument exits with code 2, a refused operation with 1.
 */
const USAGE = `Utilisation : npm run cli -- <commande> [options]

  user:create  --email ADRESSE --name NOM --password MOT_DE_PASSE [--admin]
  espace:create --name NOM                      (affiche l'identifiant du nouvel espace en dernière ligne)
  member:add   --espace ID --email ADRESSE --role animateur|rapporteur|membre
  document:check [--repair]                     vérifie que chaque document stocké se charge ;
                                                avec --repair, reconstruit ceux qui sont endommagés
  search:rebuild                                reconstruit l'index de recherche plein texte des
                                                documents et des commentaires (catalogue)

Le dossier de données est celui de DATA_DIR (par défaut ./data).`;

class UsageError extends Error {}

/** The CLI's output is its interface: plain lines on stdout. */
const print = (line: string): void => void process.stdout.write(`${line}\n`);

// setupInput is a `zod/mini` object (no methods): a classic object over its fields picks them.
const userInput = z.object(setupInput.shape).pick({ email: true, name: true, password: true });
const memberInput = z.object({
  espace: z.string({ error: '--espace est obligatoire.' }).min(1, { error: '--espace est obligatoire.' }),
  email: setupInput.shape.email,
  role: z.string({ error: '--role est obligatoire.' }).refine(isEspaceRole, {
    error: '--role doit être animateur, rapporteur ou membre.',
  }),
});

function parse<T extends z.core.$ZodType>(schema: T, values: unknown): z.output<T> {
  const result = z.safeParse(schema, values);
  if (!result.success) throw new UsageError(result.error.issues.map((i) => i.message).join('\n'));
  return result.data;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    print(USAGE);
    return;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
        admin: { type: 'boolean' },
        espace: { type: 'string' },
        role: { type: 'string' },
        repair: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(`Option invalide : ${(error as Error).message}`);
  }

  const config = loadConfig();
  const logger = createLogger('silent');
  const db = openDatabase(config.databaseFile, { synchronous: config.sqliteSynchronous });
  const services = buildServices(db, {
    logger,
    smtp: null,
    filesDir: path.join(config.dataDir, 'files'),
    kitCacheDir: path.join(config.dataDir, 'cache', 'kits'),
    exportCacheDir: path.join(config.dataDir, 'cache', 'exports'),
  });
  try {
    switch (command) {
      case 'user:create': {
        const input = parse(userInput, values);
        const user = await services.auth.createUser({ ...input, isAdmin: values.admin === true }, null);
        print(`Compte créé : ${user.name} <${user.email}>${user.isAdmin ? ' (administrateur)' : ''}`);
        print(user.id);
        return;
      }
      case 'espace:create': {
        const { name } = parse(createEspaceInput, values);
        const espace = services.espaces.create(null, name);
        print(`Espace de travail créé : ${espace.name}`);
        print(espace.id);
        return;
      }
      case 'member:add': {
        const input = parse(memberInput, values);
        const user = services.auth.findUserByEmail(input.email);
        if (!user)
          throw new DomainError(
            'not_found',
            `Aucun compte pour ${input.email} : créez-le d’abord avec user:create.`,
          );
        if (!isEspaceRole(input.role))
          throw new UsageError('--role doit être animateur, rapporteur ou membre.');
        services.espaces.setRole(null, input.espace, user.id, input.role);
        print(`${user.name} est désormais ${input.role} de l’espace ${input.espace}.`);
        return;
      }
      case 'document:check': {
        const repair = values.repair === true;
        const results = checkDocuments(services.collabStore, { repair, audit: services.audit });
        const labels = {
          ok: 'intact',
          damaged: 'ENDOMMAGÉ',
          repaired: 'réparé',
          unreadable: 'ILLISIBLE',
        } as const;
        for (const r of results.filter((r) => r.status !== 'ok'))
          print(`${labels[r.status]} ${r.documentId} : ${r.detail}`);
        const count = (status: keyof typeof labels) => results.filter((r) => r.status === status).length;
        print(
          `${results.length} document(s) vérifié(s) : ${count('ok')} intact(s), ${count('damaged')} endommagé(s), ` +
            `${count('repaired')} réparé(s), ${count('unreadable')} illisible(s).`,
        );
        if (count('damaged') > 0) print('Relancez avec --repair pour reconstruire les documents endommagés.');
        if (count('damaged') + count('unreadable') > 0) process.exitCode = 1;
        return;
      }
      case 'search:rebuild': {
        // Issue 18: the index is derived data; this rebuilds it from every stored document.
        const report = services.draftSearch.rebuild();
        const size = services.draftSearch.sizeBytes();
        print(
          `Index de recherche reconstruit : ${report.documents} document(s), ${report.sections} section(s), ` +
            `${report.threads} fil(s) de commentaires en ${(report.ms / 1000).toFixed(1)} s` +
            (size === null ? '.' : ` (${(size / 2 ** 20).toFixed(1)} Mio).`),
        );
        return;
      }
      default:
        throw new UsageError(`Commande inconnue : ${command}\n\n${USAGE}`);
    }
  } finally {
    db.close();
  }
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof DomainError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
