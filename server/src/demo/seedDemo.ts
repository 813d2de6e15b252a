import { randomUUID } from 'node:crypto';
import { defaultThemes, type Actor, type EspaceRole } from '@essaim/domain';
import { schema } from '@essaim/editor';
import type { DemoAccountDto } from '@essaim/protocol';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import {
  DEMO_ESPACE_NAME,
  DEMO_SIGNALS,
  demoFiches,
  ficheContent,
  SYNTHESE_TITLE,
  syntheseContent,
  type DemoFiche,
} from './demoContent.js';

/** Settings key set once the demonstration data is in the database. */
export const DEMO_SETTING = 'demo';

interface DemoPerson extends DemoAccountDto {
  isAdmin: boolean;
  /** Role in the demonstration espace; null for the administrator, who runs the instance. */
  espaceRole: EspaceRole | null;
}

/** Fictional people, one per role; passwords long enough for the password rule (12 characters). */
const people: readonly DemoPerson[] = [
  {
    name: 'Julien Mercier',
    email: 'administrateur@demo.essaim.fr',
    password: 'demo-administration-2026',
    role: 'Administrateur de l’instance',
    isAdmin: true,
    espaceRole: null,
  },
  {
    name: 'Sophie Lambert',
    email: 'animatrice@demo.essaim.fr',
    password: 'demo-animation-2026',
    role: 'Animatrice du groupe',
    isAdmin: false,
    espaceRole: 'animateur',
  },
  {
    name: 'Thomas Girard',
    email: 'rapporteur1@demo.essaim.fr',
    password: 'demo-rapporteur1-2026',
    role: 'Rapporteur',
    isAdmin: false,
    espaceRole: 'rapporteur',
  },
  {
    name: 'Karima Haddad',
    email: 'rapporteur2@demo.essaim.fr',
    password: 'demo-rapporteur2-2026',
    role: 'Rapporteure',
    isAdmin: false,
    espaceRole: 'rapporteur',
  },
  {
    name: 'Paul Renaud',
    email: 'membre@demo.essaim.fr',
    password: 'demo-membre-2026',
    role: 'Membre du groupe',
    isAdmin: false,
    espaceRole: 'membre',
  },
];

/** The demonstration accounts, shown on the login page and in the README. */
export const demoAccounts: readonly DemoAccountDto[] = people.map(({ email, password, name, role }) => ({
  email,
  password,
  name,
  role,
}));

/**
 * Seeds the demonstration espace, accounts, themes and fiches into an empty database. Does nothing
 * (and returns false) when any account exists already.
 */
export async function seedDemo(services: Services, logger: Logger): Promise<boolean> {
  if (!services.auth.setupNeeded()) return false;
  const started = performance.now();
  checkContent();

  // Hash the five passwords in parallel (scrypt runs off the main thread).
  const users = await Promise.all(
    people.map((p) =>
      services.auth.createUser(
        { email: p.email, name: p.name, password: p.password, isAdmin: p.isAdmin },
        null,
      ),
    ),
  );
  const userOf = (index: number) => {
    const user = users[index];
    if (!user) throw new Error(`compte de démonstration ${index} manquant`);
    return user;
  };
  const admin = services.actors.fromRecord(userOf(0));

  // The espace starts with the five default themes of the mandate.
  const espace = services.espaces.create(admin, DEMO_ESPACE_NAME);
  people.forEach((person, i) => {
    if (person.espaceRole) services.espaces.setRole(admin, espace.id, userOf(i).id, person.espaceRole);
  });
  const animatrice = services.actors.forUser(
    userOf(people.findIndex((p) => p.espaceRole === 'animateur')).id,
  );
  const rapporteurs = people.flatMap((p, i) => (p.espaceRole === 'rapporteur' ? [userOf(i).id] : []));
  const rapporteur = (n: 1 | 2): string => {
    const id = rapporteurs[n - 1];
    if (!id) throw new Error(`rapporteur de démonstration ${n} manquant`);
    return id;
  };

  // The fiches first, so the synthesis can link to them.
  const fiches = demoFiches.map((fiche) => {
    const created = services.documents.create(
      animatrice,
      { espaceId: espace.id, title: fiche.title, kind: 'fiche', themes: fiche.themes },
      { content: ficheContent(fiche, randomUUID), metadata: fiche.metadata },
    );
    services.documents.assign(animatrice, created.id, rapporteur(fiche.rapporteur));
    return { id: created.id, fiche };
  });
  const synthese = services.documents.create(
    animatrice,
    { espaceId: espace.id, title: SYNTHESE_TITLE, kind: 'synthese', themes: [] },
    { content: syntheseContent(fiches, randomUUID) },
  );
  for (const id of rapporteurs) services.documents.assign(animatrice, synthese.id, id);
  reviewAndPublish(services, animatrice, espace.id, fiches, (n) => services.actors.forUser(rapporteur(n)));

  services.settings.set(DEMO_SETTING, 'on');
  logger.info(
    {
      espaceId: espace.id,
      accounts: users.length,
      documents: fiches.length + 1,
      ms: Math.round(performance.now() - started),
    },
    'demonstration data seeded',
  );
  return true;
}

/**
 * Checks every document against the schema and the default themes before the first write: an
 * error in the content stops the start without leaving half a demonstration (accounts but no
 * fiches) that the next start would not complete.
 */
function checkContent(): void {
  const themes = new Set(defaultThemes.map((t) => t.id));
  for (const fiche of demoFiches) {
    const unknown = fiche.themes.filter((t) => !themes.has(t));
    if (unknown.length > 0) throw new Error(`démonstration : thème inconnu ${unknown.join(', ')}`);
    schema.nodeFromJSON(ficheContent(fiche, randomUUID)).check();
  }
  const placeholders = demoFiches.map((fiche) => ({ id: randomUUID(), fiche }));
  schema.nodeFromJSON(syntheseContent(placeholders, randomUUID)).check();
}

/**
 * The group's work as a visitor should find it (issues 12 and 13): the first three fiches approved
 * section by section and published (the portal is not empty), with reuse signals on the first two
 * (three approved, shown on the fiches and the map; one waiting for the animatrice), the fourth
 * under review (three sections submitted by its rapporteur: one approved, one with changes
 * requested, one waiting), the others still in writing.
 */
function reviewAndPublish(
  services: Services,
  animatrice: Actor,
  espaceId: string,
  fiches: readonly { id: string; fiche: DemoFiche }[],
  rapporteurOf: (n: 1 | 2) => Actor,
): void {
  fiches.forEach(({ id, fiche }, index) => {
    const sections = services.reviews.sections(animatrice, id).sections;
    if (index < 3) {
      for (const s of sections) services.reviews.decide(animatrice, id, s.id, { action: 'approve' });
      const { documentUrl } = services.publications.publish(animatrice, id);
      const slug = documentUrl.slice(documentUrl.lastIndexOf('/') + 1);
      for (const signal of DEMO_SIGNALS[index] ?? [])
        services.signals.submit(slug, { site: '', email: '', ...signal }, null);
    } else if (index === 3) {
      // The signals left on the first fiches: all approved but the last, left to moderate.
      const waiting = services.signals.list(animatrice, espaceId, 'en_attente');
      for (const s of waiting.slice(1)) services.signals.moderate(animatrice, s.id, true);
      const writer = rapporteurOf(fiche.rapporteur);
      const [first, second, third] = sections.slice(1, 4);
      for (const s of [first, second, third])
        if (s)
          services.reviews.decide(writer, id, s.id, { action: 'submit', message: 'Prête pour relecture.' });
      if (first) services.reviews.decide(animatrice, id, first.id, { action: 'approve' });
      if (second)
        services.reviews.decide(animatrice, id, second.id, {
          action: 'request_changes',
          message: 'Pouvez-vous préciser le nombre de familles accompagnées et la durée de l’action ?',
        });
    }
  });
}
