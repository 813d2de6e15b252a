import type { DocumentKindName } from './documentKinds.js';
import { frenchSpacing } from './typography.js';

/**
 * The templates of the two documents the working group writes. They come from the HCTS mandate
 * (identify emerging practices, evaluate them through processes and effects, say what favours their
 * development) and from the questionnaire (origin, public, partners, the health crisis).
 *
 * A template is data: the server writes it into a new document, the editor reads the prompts and
 * the `required` flags by section key, and reviews will later hang on the same keys.
 */
export interface SectionTemplate {
  /** Stable key of the section in every document made from this template. */
  key: string;
  title: string;
  /** Short writing prompt, shown while the section is empty. */
  prompt: string;
  /** Required sections cannot be removed. */
  required: boolean;
  /** Level-3 headings the section starts with, for sections with several entries. */
  subheadings?: readonly string[];
}

export interface DocumentTemplate {
  kind: DocumentKindName;
  label: string;
  sections: readonly SectionTemplate[];
  /** Whether rapporteurs may add their own sections. */
  allowCustomSections: boolean;
}

/** The template with its prompts in French spacing ({@link frenchSpacing}). */
function typeset(template: DocumentTemplate): DocumentTemplate {
  return {
    ...template,
    sections: template.sections.map((section) => ({ ...section, prompt: frenchSpacing(section.prompt) })),
  };
}

export const ficheTemplate: DocumentTemplate = typeset({
  kind: 'fiche',
  label: 'Fiche pratique',
  allowCustomSections: true,
  sections: [
    {
      key: 'identification',
      title: 'Identification',
      prompt:
        'Nommez la pratique en une phrase, la structure qui la porte, le territoire et l’année de démarrage.',
      required: true,
    },
    {
      key: 'origine',
      title: 'Origine et contexte',
      prompt:
        'D’où vient la pratique ? Quel besoin ou quelle question sociale nouvelle l’a fait naître, et dans quel contexte institutionnel ?',
      required: true,
    },
    {
      key: 'description',
      title: 'Description de la pratique et mise en œuvre',
      prompt:
        'Décrivez concrètement comment la pratique se déroule : étapes, outils, posture des professionnels, moyens engagés.',
      required: true,
    },
    {
      key: 'public',
      title: 'Public concerné',
      prompt: 'À qui s’adresse la pratique ? Combien de personnes, dans quelles situations ?',
      required: true,
    },
    {
      key: 'acteurs',
      title: 'Acteurs et partenaires',
      prompt:
        'Qui intervient (travailleurs sociaux, intervenants sociaux, bénévoles, pairs) et avec quels partenaires ?',
      required: true,
    },
    {
      key: 'participation',
      title: 'Place et participation des personnes concernées',
      prompt:
        'Comment les personnes accompagnées participent-elles aux décisions, à la conception ou à l’évaluation de la pratique ?',
      required: true,
    },
    {
      key: 'effets',
      title: 'Effets et impacts observés',
      prompt:
        'Qu’est-ce qui a changé pour les personnes, pour les professionnels et pour les institutions ? Appuyez-vous sur des faits.',
      required: true,
    },
    {
      key: 'conditions',
      title: 'Conditions de réussite et leviers',
      prompt:
        'Qu’est-ce qui a rendu la pratique possible : soutien de la hiérarchie, financement, formation, temps d’analyse ?',
      required: true,
    },
    {
      key: 'vigilance',
      title: 'Points de vigilance et écueils',
      prompt:
        'Quelles difficultés avez-vous rencontrées, quelles erreurs éviter pour qui voudrait s’en inspirer ?',
      required: true,
    },
    {
      key: 'crise-sanitaire',
      title: 'Adaptations pendant la crise sanitaire',
      prompt:
        'Comment la pratique s’est-elle adaptée pendant les confinements ? La crise a-t-elle été un révélateur ou un accélérateur ?',
      required: false,
    },
    {
      key: 'regards-croises',
      title: 'Regards croisés',
      prompt:
        'Des pratiques comparables existent-elles à l’étranger ? Quels travaux de recherche éclairent celle-ci ?',
      required: false,
      subheadings: ['Pratiques à l’étranger', 'Travaux de recherche'],
    },
    {
      key: 'evaluation',
      title: 'Évaluation',
      prompt:
        'Évaluez selon deux entrées : les processus (comment la pratique se déroule) et les effets ou impacts (ce qu’elle produit).',
      required: true,
      subheadings: ['Entrée processus', 'Entrée effets et impacts'],
    },
    {
      key: 'aller-plus-loin',
      title: 'Pour aller plus loin',
      prompt:
        'Indiquez un contact pour échanger sur la pratique et les ressources utiles : documents, sites, outils.',
      required: true,
      subheadings: ['Contacts', 'Ressources'],
    },
  ],
});

export const syntheseTemplate: DocumentTemplate = typeset({
  kind: 'synthese',
  label: 'Document de synthèse',
  allowCustomSections: true,
  sections: [
    {
      key: 'introduction',
      title: 'Introduction',
      prompt:
        'Rappelez le mandat du groupe, la démarche suivie (questionnaire, journées d’échanges) et le plan.',
      required: true,
    },
    {
      key: 'lignes-de-force',
      title: 'Lignes de force communes',
      prompt:
        'Qu’ont en commun les pratiques recensées ? Dégagez les lignes de force qui traversent les fiches.',
      required: true,
    },
    {
      key: 'evaluation',
      title: 'Démarche d’évaluation',
      prompt: 'Présentez l’approche d’évaluation à deux entrées retenue par le groupe.',
      required: true,
      subheadings: ['Entrée processus', 'Entrée effets et impacts'],
    },
    {
      key: 'conditions',
      title: 'Conditions de développement',
      prompt:
        'Qu’est-ce qui favorise le développement et l’essaimage de ces pratiques, et qu’est-ce qui le freine ?',
      required: true,
      subheadings: ['Facteurs de réussite', 'Leviers', 'Points de vigilance', 'Écueils à éviter'],
    },
    {
      key: 'recommandations',
      title: 'Recommandations',
      prompt: 'Formulez les recommandations du groupe, en pensant à la redescente vers les acteurs locaux.',
      required: true,
    },
    {
      key: 'annexes',
      title: 'Annexes',
      prompt: 'Liez ici les fiches pratiques du groupe : insérez un lien vers chaque fiche.',
      required: true,
    },
  ],
});

export const templates: Record<DocumentKindName, DocumentTemplate> = {
  fiche: ficheTemplate,
  synthese: syntheseTemplate,
};

/** Prompt for sections rapporteurs add themselves. */
export const customSectionPrompt = 'Rédigez cette section.';

/** The template section with this key, if any. */
export function sectionTemplate(kind: DocumentKindName, key: string | null): SectionTemplate | undefined {
  return key ? templates[kind].sections.find((s) => s.key === key) : undefined;
}
