import { structureTypeLabels, structureTypes } from '@essaim/domain';
import { SIGNAL_MESSAGE_MAX } from '@essaim/protocol';
import type { Request } from 'express';
import { territoireLabel, territoires } from '../reference/territoires.js';
import type { PublicationRecord } from '../storage/publicationRepository.js';
import type { ReuseSignalRecord } from '../storage/signalRepository.js';
import { markup, type SafeHtml } from './html.js';

/** What the form's redirection says (`?signal=`), as the page tells it. */
const OUTCOMES: Record<string, { text: string; kind: 'success' | 'error' }> = {
  merci: {
    text: 'Merci ! Votre signalement est bien reçu : il sera affiché après la relecture de l’animateur du groupe.',
    kind: 'success',
  },
  invalide: {
    text: 'Votre signalement n’a pas pu être enregistré : choisissez un territoire et un type de structure dans les listes, et vérifiez l’adresse de courriel.',
    kind: 'error',
  },
  limite: {
    text: 'Vous avez déjà envoyé plusieurs signalements depuis cette adresse : réessayez plus tard.',
    kind: 'error',
  },
};

const option = (value: string, label: string): SafeHtml => markup`<option value="${value}">${label}</option>`;

/** « CCAS ou CIAS à Nord (59) » for one approved signal (no email, never shown). */
function signalLine(s: ReuseSignalRecord): SafeHtml {
  const kind = structureTypeLabels[s.structureType as keyof typeof structureTypeLabels] ?? s.structureType;
  const where = territoireLabel(s.territoire) ?? s.territoire;
  return markup`<li><strong>${s.structure || kind}</strong>${s.structure ? markup` (${kind})` : ''} — ${where}${
    s.message ? markup`<br><span class="essaim-inspiration__message">« ${s.message} »</span>` : ''
  }</li>`;
}

/**
 * The « Je m'inspire de cette pratique » block of a publication's page (issue 13): where the
 * practice is already tried (approved signals), what became of the visitor's form (`?signal=`),
 * and the form itself, which works without JavaScript (POST to `/pratiques/<slug>/inspiration`).
 * `site` is the honeypot: hidden from people (and from screen readers), filled by robots.
 */
export function inspirationBlock(
  publication: PublicationRecord,
  query: Request['query'],
  approved: readonly ReuseSignalRecord[],
): SafeHtml {
  const outcome = typeof query.signal === 'string' ? OUTCOMES[query.signal] : undefined;
  const { regions, departements } = territoires();
  return markup`<section id="inspiration" class="essaim-inspiration" aria-labelledby="inspiration-titre">
  <h2 id="inspiration-titre">Je m’inspire de cette pratique</h2>
  ${
    approved.length > 0
      ? markup`<p>Reprise ou essayée ailleurs (${approved.length}) :</p><ul class="essaim-inspiration__list">${approved.map(signalLine)}</ul>`
      : markup`<p>Personne n’a encore signalé l’essayer. Soyez le premier !</p>`
  }
  ${
    outcome
      ? markup`<p class="essaim-inspiration__outcome essaim-inspiration__outcome--${outcome.kind}" role="${outcome.kind === 'error' ? 'alert' : 'status'}">${outcome.text}</p>`
      : ''
  }
  <form method="post" action="/pratiques/${publication.slug}/inspiration" class="essaim-inspiration__form">
    <p class="fr-hint-text">Dites au groupe de travail où, et dans quel type de structure, vous essayez cette pratique. Votre signalement est relu avant d’être affiché ; votre adresse de courriel n’est jamais affichée.</p>
    <div class="fr-select-group">
      <label class="fr-label" for="inspiration-territoire">Territoire (obligatoire)</label>
      <select class="fr-select" id="inspiration-territoire" name="territoire" required>
        <option value="" selected disabled>Choisissez un territoire</option>
        ${option('national', 'National')}
        <optgroup label="Départements">${departements.map((d) => option(`dep:${d.code}`, `${d.nom} (${d.code})`))}</optgroup>
        <optgroup label="Régions">${regions.map((r) => option(`reg:${r.code}`, r.nom))}</optgroup>
      </select>
    </div>
    <div class="fr-select-group">
      <label class="fr-label" for="inspiration-type">Type de structure (obligatoire)</label>
      <select class="fr-select" id="inspiration-type" name="structureType" required>
        <option value="" selected disabled>Choisissez un type de structure</option>
        ${structureTypes.map((t) => option(t, structureTypeLabels[t]))}
      </select>
    </div>
    <div class="fr-input-group">
      <label class="fr-label" for="inspiration-structure">Nom de la structure (facultatif)</label>
      <input class="fr-input" type="text" id="inspiration-structure" name="structure" maxlength="200">
    </div>
    <div class="fr-input-group">
      <label class="fr-label" for="inspiration-email">Courriel pour que le groupe vous recontacte (facultatif)<span class="fr-hint-text">Jamais affiché.</span></label>
      <input class="fr-input" type="email" id="inspiration-email" name="email" maxlength="200" autocomplete="email">
    </div>
    <div class="fr-input-group">
      <label class="fr-label" for="inspiration-message">Message (facultatif)<span class="fr-hint-text">Texte simple, ${SIGNAL_MESSAGE_MAX} caractères au plus.</span></label>
      <textarea class="fr-input" id="inspiration-message" name="message" rows="4" maxlength="${SIGNAL_MESSAGE_MAX}"></textarea>
    </div>
    <div hidden aria-hidden="true">
      <label for="inspiration-site">Ne remplissez pas ce champ</label>
      <input type="text" id="inspiration-site" name="site" tabindex="-1" autocomplete="off">
    </div>
    <button class="fr-btn" type="submit">Envoyer mon signalement</button>
  </form>
</section>`;
}
