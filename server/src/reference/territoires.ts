import fs from 'node:fs';
import { z } from 'zod';
import type { TerritoiresDto } from '@essaim/protocol';

/**
 * The French régions and départements (INSEE codes, official names), read from the committed
 * reference file `data/territoires.json`. The module sits three levels under the repository root
 * both as source (`server/src/reference/`) and built (`server/dist/reference/`).
 */
const FILE = new URL('../../../data/territoires.json', import.meta.url);

const regionCode = z.string().regex(/^[0-9]{2}$/);
const name = z.string().trim().min(1).max(80);

const fileSchema = z
  .object({
    regions: z.array(z.object({ code: regionCode, nom: name }).strict()).min(1),
    departements: z
      .array(
        z
          .object({ code: z.string().regex(/^([0-9]{2}|2[AB]|97[0-9])$/), nom: name, region: regionCode })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((data, ctx) => {
    const regionCodes = new Set<string>();
    for (const r of data.regions) {
      if (regionCodes.has(r.code)) ctx.addIssue({ code: 'custom', message: `région ${r.code} en double` });
      regionCodes.add(r.code);
    }
    const depCodes = new Set<string>();
    for (const d of data.departements) {
      if (depCodes.has(d.code)) ctx.addIssue({ code: 'custom', message: `département ${d.code} en double` });
      depCodes.add(d.code);
      if (!regionCodes.has(d.region)) {
        ctx.addIssue({ code: 'custom', message: `département ${d.code} : région ${d.region} inconnue` });
      }
    }
  });

interface Loaded {
  dto: TerritoiresDto;
  labels: Map<string, string>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(FILE, 'utf8')));
  if (!parsed.success) {
    throw new Error(`data/territoires.json n’est pas valide : ${z.prettifyError(parsed.error)}`);
  }
  // Frozen: every caller shares this one copy.
  const dto: TerritoiresDto = Object.freeze({
    regions: Object.freeze(parsed.data.regions.map((r) => Object.freeze(r))),
    departements: Object.freeze(parsed.data.departements.map((d) => Object.freeze(d))),
  }) as TerritoiresDto;
  const labels = new Map<string, string>([['national', 'National']]);
  for (const r of dto.regions) labels.set(`reg:${r.code}`, r.nom);
  for (const d of dto.departements) labels.set(`dep:${d.code}`, `${d.nom} (${d.code})`);
  loaded = { dto, labels };
  return loaded;
}

/** Every région and département, in INSEE order. Loaded and checked once, then shared. */
export function territoires(): TerritoiresDto {
  return load().dto;
}

/** Whether `code` names a territory: `dep:<code>`, `reg:<code>` or `national`. */
export function isTerritoire(code: string): boolean {
  return load().labels.has(code);
}

/** « Ardèche (07) » for `dep:07`, « Auvergne-Rhône-Alpes » for `reg:84`, « National », or null. */
export function territoireLabel(code: string): string | null {
  return load().labels.get(code) ?? null;
}
