import {
  categoryLabels,
  ficheTemplate,
  structureTypeLabels,
  syntheseTemplate,
  type DocumentTemplate,
} from '@essaim/domain';
import { templateContent, type DocJSON } from '@essaim/editor';
import type { DocumentMetadata, ReuseSignalInput } from '@essaim/protocol';
import { territoireLabel } from '../reference/territoires.js';

/**
 * The demonstration espace and its documents. The fiches are written from the HCTS sources (the
 * mandate, the questionnaire, the press articles on the report): the themes, the départements the
 * report's annexes cite, the three categories of emerging practice, the questionnaire's kinds of
 * structure. Where the sources are silent the text stays generic (« le service de l’aide sociale à
 * l’enfance du département ») and gives no figures.
 */

export const DEMO_ESPACE_NAME = 'Pratiques émergentes du travail social';
export const SYNTHESE_TITLE = 'Document de synthèse — pratiques émergentes';

/** A block of a section: a string is a paragraph. */
export type Block =
  | string
  | { list: readonly string[] }
  | { quote: string }
  /** Level 3 under a section title, level 4 under a template subheading. */
  | { heading: string; level?: 3 | 4 };

/**
 * The text of one template section: blocks, or for sections with subheadings (« Regards croisés »,
 * « Évaluation », « Pour aller plus loin ») one list of blocks per subheading, in template order.
 */
export type SectionText = readonly Block[] | { parts: readonly (readonly Block[])[] };

/**
 * Reuse signals left on the portal for the first published fiches (issue 13), by fiche index:
 * where, and in which structure, a team tries the practice. Invented, as the fiches are.
 */
export const DEMO_SIGNALS: readonly (readonly Pick<
  ReuseSignalInput,
  'territoire' | 'structureType' | 'structure' | 'message'
>[])[] = [
  [
    {
      territoire: 'dep:35',
      structureType: 'conseil-departemental',
      structure: 'Département d’Ille-et-Vilaine, agence de Rennes',
      message: 'Deux premières conférences familiales organisées avec des coordinateurs bénévoles.',
    },
    {
      territoire: 'dep:59',
      structureType: 'association',
      structure: 'Association de prévention spécialisée, Roubaix',
      message: '',
    },
  ],
  [
    {
      territoire: 'dep:13',
      structureType: 'ccas',
      structure: 'CCAS de Marseille',
      message: 'Nous adaptons le protocole aux familles hébergées à l’hôtel.',
    },
    {
      territoire: 'dep:69',
      structureType: 'association',
      structure: 'Maison des familles, Villeurbanne',
      message: 'Premier essai prévu au printemps.',
    },
  ],
];

export interface DemoFiche {
  title: string;
  /** Theme ids among the espace's default themes. */
  themes: string[];
  metadata: Omit<Partial<DocumentMetadata>, 'title' | 'themes'>;
  /** Which demonstration rapporteur writes it (1 or 2). */
  rapporteur: 1 | 2;
  /** Text by template section key. */
  sections: Partial<Record<string, SectionText>>;
}

const RAPPORT_HCTS = 'rapport du HCTS « Pratiques émergentes du travail social et du développement social »';

export const demoFiches: readonly DemoFiche[] = [
  {
    title: 'Conférences familiales en protection de l’enfance — Ardèche',
    themes: ['conferences-familiales'],
    rapporteur: 1,
    metadata: {
      categorie: 'naissante',
      territoire: 'dep:07',
      structure: 'Conseil départemental de l’Ardèche — aide sociale à l’enfance',
      structureType: 'conseil-departemental',
      public: 'Enfants suivis en protection de l’enfance, leurs parents et leur entourage',
      anneeDemarrage: 2016,
      contact: 'Service de l’aide sociale à l’enfance du conseil départemental',
      motsCles: ['protection de l’enfance', 'participation', 'famille élargie', 'coordinateur indépendant'],
    },
    sections: {
      identification: [
        'La conférence familiale est proposée aux familles dont un enfant est suivi par l’aide sociale à l’enfance : la famille et son entourage élaborent eux-mêmes, lors d’une réunion préparée par un coordinateur indépendant, le plan d’action destiné à réduire le danger vécu par l’enfant. La pratique est portée par le service de l’aide sociale à l’enfance du conseil départemental de l’Ardèche depuis 2016, d’abord sur quelques territoires d’action sociale volontaires, puis plus largement.',
      ],
      origine: [
        'La pratique est née d’un constat partagé par les équipes de protection de l’enfance : dans un département rural et étendu, où les services sont éloignés de nombreuses familles, les décisions prises par les professionnels s’appuyaient peu sur les ressources de l’entourage (grands-parents, oncles et tantes, voisins, amis), pourtant souvent présentes et prêtes à s’engager. Les mesures étaient vécues comme imposées, et leurs effets s’estompaient une fois l’accompagnement terminé.',
        'Des cadres du service ont découvert la conférence familiale lors de journées d’échanges entre départements. La démarche répondait à l’orientation, réaffirmée par le législateur, de mieux associer les parents aux décisions qui concernent leur enfant et de rechercher d’abord des solutions dans son environnement. Le service a choisi de l’expérimenter avant de l’inscrire dans son schéma départemental.',
      ],
      description: [
        'La conférence familiale se déroule en quatre temps, sur quelques semaines :',
        {
          list: [
            'La proposition : le référent de l’enfant présente la démarche à la famille, qui reste libre de l’accepter. Il formule par écrit, en termes simples, l’inquiétude du service et la question à laquelle la famille devra répondre.',
            'La préparation : un coordinateur indépendant, qui n’intervient pas dans le suivi de l’enfant, rencontre la famille, l’aide à identifier toutes les personnes qui comptent pour elle et les invite. La réunion a lieu au moment et à l’endroit choisis par la famille.',
            'La conférence : après un temps d’information où les professionnels exposent leurs inquiétudes et les ressources disponibles, la famille et son réseau se retrouvent en « temps privé », sans aucun professionnel, pour construire leur plan.',
            'La validation et le suivi : le plan est présenté au référent, qui l’accepte dès lors qu’il assure la sécurité de l’enfant. Une conférence de bilan est proposée quelques mois plus tard.',
          ],
        },
        'Le rapport du HCTS résume ainsi l’esprit de la démarche :',
        {
          quote:
            '« Cette pratique invite la famille à s’accorder sur la nature d’un problème et choisir, avec les personnes de son environnement, les ressources à mettre en œuvre pour sa résolution. »',
        },
      ],
      public: [
        'Enfants et adolescents suivis par l’aide sociale à l’enfance, à domicile ou confiés, et leurs familles, lorsque le service estime que l’entourage peut contribuer à la protection de l’enfant. La démarche est proposée au moment d’une décision importante : mise en place ou renouvellement d’une mesure, projet de retour au domicile, préparation de la majorité. Elle ne l’est pas lorsque l’urgence impose une décision immédiate.',
      ],
      acteurs: [
        'Les référents de l’aide sociale à l’enfance proposent la démarche et participent au temps d’information ; les coordinateurs indépendants préparent et animent la conférence ; l’encadrement du service valide les plans et garantit les moyens (temps de préparation, frais de déplacement et de garde d’enfants pour les participants). Les partenaires habituels de l’enfant — école, services de soins, associations — peuvent être invités au temps d’information, à la demande de la famille.',
      ],
      participation: [
        'La famille est au centre de chaque étape : elle choisit qui est invité, où et quand la conférence a lieu, et elle rédige son plan avec ses propres mots. L’enfant participe selon son âge, directement ou par l’intermédiaire d’une personne de confiance qu’il désigne. Le temps privé, sans professionnel, est le cœur de la démarche : les personnes accompagnées passent du statut de destinataires d’une décision à celui d’auteurs de la solution.',
        'Des familles ayant vécu une conférence témoignent auprès des professionnels en formation et ont contribué à réécrire les documents qui présentent la démarche.',
      ],
      effets: [
        'Les référents observent que les plans élaborés par les familles mobilisent des personnes et des ressources que les professionnels n’avaient pas identifiées, notamment dans la famille élargie. Les parents disent s’être sentis respectés et entendus, et mieux comprendre les inquiétudes du service. Des situations ont pu évoluer sans placement, ou avec un accueil chez un proche plutôt qu’en établissement.',
        'Pour les professionnels, la pratique a été l’occasion de revisiter leur posture : passer de l’expertise sur la famille à l’accompagnement d’une décision prise par la famille. Elle a aussi obligé le service à écrire ses inquiétudes de façon claire et compréhensible, ce qui a profité à l’ensemble des écrits professionnels.',
      ],
      conditions: [
        {
          list: [
            'Un portage clair par la direction de l’enfance et l’inscription de la démarche dans le schéma départemental.',
            'L’indépendance du coordinateur, garantie par son statut et par l’absence de tout autre rôle auprès de la famille.',
            'Des moyens dédiés : temps de préparation, prise en charge des déplacements des membres du réseau, souvent dispersés sur un territoire rural.',
            'Une formation commune des référents et des coordinateurs, et des temps d’analyse de la pratique.',
          ],
        },
      ],
      vigilance: [
        'La démarche demande du temps : plusieurs semaines de préparation sont nécessaires, ce qui la rend inadaptée aux situations d’urgence. Le risque est aussi de la transformer en réunion de synthèse élargie, où les professionnels reprendraient la main : le temps privé doit être respecté sans exception.',
        'Le service doit accepter des plans qui ne ressemblent pas à ce qu’il aurait proposé lui-même, tant que la sécurité de l’enfant est assurée. Enfin, certaines familles très isolées disposent d’un réseau restreint : le coordinateur recherche alors avec elles des personnes ressources au-delà du cercle familial.',
      ],
      'crise-sanitaire': [
        'Pendant le premier confinement, les conférences ont été suspendues, puis reprises en petits groupes, en associant par téléphone ou en visioconférence les membres du réseau qui ne pouvaient pas se déplacer. Cette participation à distance, d’abord contrainte, a été conservée pour les proches éloignés.',
      ],
      'regards-croises': {
        parts: [
          [
            'La conférence familiale (family group conference) est née en Nouvelle-Zélande à la fin des années 1980, en s’inspirant des modes traditionnels de décision des familles maories, et a été inscrite dans la loi néo-zélandaise de protection de l’enfance en 1989. Elle s’est ensuite diffusée, notamment au Royaume-Uni, aux Pays-Bas et en Belgique.',
          ],
          [
            `Les travaux sur la participation des familles en protection de l’enfance éclairent la démarche. Le ${RAPPORT_HCTS} consacre un chapitre aux conférences familiales et propose en annexe des fiches sur leur expérimentation par plusieurs départements, dont l’Ardèche.`,
          ],
        ],
      },
      evaluation: {
        parts: [
          [
            'L’évaluation des processus porte sur le respect des étapes (libre adhésion, indépendance du coordinateur, temps privé, validation du plan), sur les délais entre la proposition et la conférence, sur la diversité des personnes mobilisées et sur la satisfaction des participants, recueillie à l’issue de chaque conférence.',
          ],
          [
            'L’évaluation des effets s’appuie sur la conférence de bilan : mise en œuvre du plan, évolution de la situation de l’enfant au regard des inquiétudes initiales, évolution des mesures. Le service souhaite la compléter par des entretiens avec les familles à distance de la conférence, pour apprécier les effets dans la durée.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          ['Service de l’aide sociale à l’enfance, conseil départemental de l’Ardèche.'],
          [
            `Le ${RAPPORT_HCTS}, chapitre sur les conférences familiales et fiches en annexe ; le document de présentation de la démarche remis aux familles.`,
          ],
        ],
      },
    },
  },
  {
    title: 'Conférences familiales et projet pour l’enfant — Gironde',
    themes: ['conferences-familiales'],
    rapporteur: 2,
    metadata: {
      categorie: 'confidentielle',
      territoire: 'dep:33',
      structure: 'Conseil départemental de la Gironde — protection de l’enfance',
      structureType: 'conseil-departemental',
      public: 'Familles accompagnées en protection de l’enfance, jeunes majeurs',
      anneeDemarrage: 2018,
      contact: 'Direction de la protection de l’enfance du conseil départemental',
      motsCles: ['projet pour l’enfant', 'participation', 'écrits professionnels', 'famille élargie'],
    },
    sections: {
      identification: [
        'Des équipes de protection de l’enfance du département de la Gironde proposent une conférence familiale pour construire, avec la famille et son entourage, le projet pour l’enfant. Démarrée en 2018 dans quelques équipes volontaires, la pratique existe mais reste confidentielle : elle est encore peu connue au-delà de ces équipes.',
      ],
      origine: [
        'Le projet pour l’enfant, qui fixe les objectifs de l’accompagnement, était le plus souvent rédigé par les professionnels puis présenté aux parents pour signature. Les équipes constataient que ce document, censé être élaboré avec la famille, était rarement approprié par elle.',
        'Des travailleurs sociaux formés à la conférence familiale ont proposé d’en faire le point de départ du projet pour l’enfant : la famille élabore son plan, que le service reprend ensuite comme socle du projet. Le soutien de l’encadrement a permis une expérimentation dans des équipes territoriales volontaires.',
      ],
      description: [
        'La démarche suit les étapes de la conférence familiale, avec une attention particulière à son articulation avec le projet pour l’enfant :',
        {
          list: [
            'Une question claire, formulée par le service avec la famille, à laquelle le plan devra répondre : par exemple, « comment s’assurer que Léa est accompagnée à l’école et que quelqu’un est présent le soir ? ».',
            'Un coordinateur formé, extérieur à l’équipe qui suit l’enfant, prépare la conférence avec la famille pendant plusieurs semaines.',
            'Un temps d’information court, un temps privé de la famille sans professionnel, puis la présentation du plan au service.',
            'Le plan familial devient la première partie du projet pour l’enfant, rédigée avec les mots de la famille.',
          ],
        },
        'Les professionnels ont travaillé la manière de présenter leurs inquiétudes : des faits observables, sans jargon, et les points non négociables pour la sécurité de l’enfant, distingués de ce qui relève du choix de la famille.',
      ],
      public: [
        'Familles dont un enfant bénéficie d’une mesure d’aide éducative ou d’un accueil, au moment de l’élaboration ou de la révision du projet pour l’enfant. Les jeunes majeurs accompagnés peuvent aussi demander une conférence pour préparer leur sortie du dispositif.',
      ],
      acteurs: [
        'Travailleurs sociaux de l’aide sociale à l’enfance, coordinateurs formés issus d’autres équipes du département, encadrement de proximité qui valide les plans. Les partenaires — établissements scolaires, services de soins, lieux d’accueil — sont associés au temps d’information lorsque la famille le souhaite. Un organisme de formation en travail social a accompagné la formation des premiers coordinateurs.',
      ],
      participation: [
        'La famille décide de la liste des invités, du lieu et du moment. Le plan est écrit par la famille, et c’est ce texte, et non une reformulation professionnelle, qui figure dans le projet pour l’enfant. Les enfants sont associés à la conférence selon leur âge et leur souhait ; un proche de leur choix peut porter leur parole.',
      ],
      effets: [
        'Les équipes constatent une meilleure appropriation du projet pour l’enfant par les familles et des renouvellements de mesure moins conflictuels. Des membres de la famille élargie, jusque-là absents du suivi, prennent des engagements concrets : accueil ponctuel, accompagnement scolaire, soutien aux parents.',
        'Pour les professionnels, la pratique modifie la façon d’écrire et de conduire les entretiens : la distinction entre inquiétudes, ressources et points non négociables s’est diffusée au-delà des seules conférences.',
      ],
      conditions: [
        'La pratique s’est développée grâce à des cadres qui ont protégé le temps nécessaire à la préparation et accepté une expérimentation sans résultat garanti. La formation commune des coordinateurs et des référents, et des temps d’analyse de la pratique entre équipes, ont permis de partager les difficultés et d’ajuster les outils.',
      ],
      vigilance: [
        'Le principal écueil est le manque de visibilité : la pratique reste l’affaire de quelques professionnels convaincus et dépend de leur présence. Sans inscription dans les procédures du service ni moyens identifiés, elle risque de disparaître au gré des changements d’équipe.',
        'Il faut aussi veiller à ne jamais présenter la conférence comme une obligation : la libre adhésion de la famille est la condition de son efficacité.',
      ],
      'crise-sanitaire': [
        'Les confinements ont révélé l’importance des réseaux familiaux et de voisinage, souvent plus présents que les services auprès des enfants. Plusieurs équipes y ont vu une raison supplémentaire de développer la démarche après la crise.',
      ],
      'regards-croises': {
        parts: [
          [
            'Là où la conférence familiale est entrée dans les pratiques courantes, en Nouvelle-Zélande, au Royaume-Uni ou aux Pays-Bas, l’expérience montre l’importance d’un financement durable des coordinateurs et de la possibilité, pour la famille, de demander elle-même une conférence.',
          ],
          [
            'Les travaux sur la participation des personnes accompagnées et sur les écrits professionnels en protection de l’enfance éclairent l’usage du plan familial comme socle du projet pour l’enfant.',
          ],
        ],
      },
      evaluation: {
        parts: [
          [
            'Suivi des conférences proposées, acceptées et réalisées, des délais de préparation et du respect du temps privé ; questionnaire remis aux participants à l’issue de la conférence.',
          ],
          [
            'Lors de la révision du projet pour l’enfant, examen des objectifs atteints ; entretiens avec les familles et les référents sur l’appropriation du projet ; analyse de l’évolution des mesures dans les situations concernées.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          ['Direction de la protection de l’enfance, conseil départemental de la Gironde.'],
          [
            `Le ${RAPPORT_HCTS} et ses fiches en annexe sur l’expérimentation des conférences familiales par les départements.`,
          ],
        ],
      },
    },
  },
  {
    title: 'Conférences familiales portées par une association — Nord',
    themes: ['conferences-familiales'],
    rapporteur: 1,
    metadata: {
      categorie: 'naissante',
      territoire: 'dep:59',
      structure: 'Association habilitée en protection de l’enfance, avec le département du Nord',
      structureType: 'association',
      public: 'Enfants confiés ou menacés de placement, et leur famille',
      anneeDemarrage: 2019,
      contact: 'Coordination des conférences familiales de l’association',
      motsCles: [
        'retour en famille',
        'prévention du placement',
        'coordinateur indépendant',
        'réseau familial',
      ],
    },
    sections: {
      identification: [
        'Une association habilitée en protection de l’enfance organise, à la demande des services du département du Nord, des conférences familiales pour préparer le retour d’un enfant confié dans sa famille ou pour éviter un placement. Démarrée en 2019, la pratique est naissante : elle n’est pas encore financée en tant que telle et repose sur une convention d’expérimentation.',
      ],
      origine: [
        'Les équipes constataient que des retours en famille après un placement étaient fragiles, faute de soutien de l’entourage une fois la mesure levée. Dans le même temps, des placements étaient décidés alors que des proches auraient pu accueillir l’enfant ou soutenir les parents, sans avoir été sollicités.',
        'L’association, qui accompagne déjà des familles dans le cadre de mesures éducatives, a proposé au département de confier la coordination des conférences à une petite équipe dédiée, distincte des éducateurs qui suivent les enfants. Cette séparation des rôles garantit l’indépendance du coordinateur que la démarche exige.',
      ],
      description: [
        'Le service départemental adresse une demande à l’association, avec l’accord de la famille et une question écrite. Le coordinateur rencontre les parents, puis l’enfant, puis chaque personne que la famille souhaite inviter ; il prépare avec chacun sa participation et règle les questions pratiques : transport, garde des jeunes enfants, interprète si nécessaire.',
        'Le jour de la conférence, les professionnels présentent brièvement leurs inquiétudes et les ressources existantes, puis se retirent. La famille et son réseau construisent leur plan : qui fait quoi, quand, et comment on saura que le plan fonctionne. Le plan est validé par le service départemental, puis une réunion de suivi est organisée quelques mois plus tard. Le rapport du HCTS le rappelle :',
        {
          quote:
            '« Le groupe constitué établit un plan d’action comme les acteurs le jugent nécessaire et souhaitable de façon indépendante des institutions qui l’accompagnent. »',
        },
      ],
      public: [
        'Enfants confiés à l’aide sociale à l’enfance pour lesquels un retour en famille est envisagé, et familles pour lesquelles un placement est en discussion. La démarche s’adresse aussi à des adolescents en rupture, pour qui la mobilisation d’un adulte de l’entourage peut éviter une réponse institutionnelle.',
      ],
      acteurs: [
        'Coordinateurs de l’association, inspecteurs et référents de l’aide sociale à l’enfance du département, éducateurs des lieux d’accueil. Les partenaires de droit commun — école, protection maternelle et infantile, centre social, services de soins — participent au temps d’information à l’invitation de la famille. Un comité de pilotage réunit le département et l’association pour suivre l’expérimentation.',
      ],
      participation: [
        'Chaque famille choisit ses invités et le cadre de la rencontre. Les familles ayant vécu une conférence sont invitées à un temps d’échange annuel, qui a conduit à simplifier les courriers d’invitation et à mieux expliquer le temps privé. Certaines acceptent de présenter leur expérience à des familles hésitantes, dans une logique proche de la pair-aidance.',
      ],
      effets: [
        'Les retours en famille préparés par une conférence s’appuient sur un réseau identifié et engagé, que les professionnels peuvent solliciter après la levée de la mesure. Des accueils chez des proches ont été organisés, évitant des placements en établissement. Les éducateurs soulignent aussi un changement de regard sur des familles dont ils découvrent les ressources.',
      ],
      conditions: [
        {
          list: [
            'Une convention claire entre le département et l’association, qui précise le rôle de chacun et la confidentialité du temps privé.',
            'La séparation entre la coordination des conférences et le suivi éducatif.',
            'La prise en charge des frais de participation de l’entourage.',
            'Des temps réguliers d’analyse de la pratique entre coordinateurs.',
          ],
        },
      ],
      vigilance: [
        'Le financement à l’expérimentation fragilise la pratique : sa pérennité dépend du renouvellement de la convention. Les demandes arrivent parfois trop tard, lorsque la décision est déjà prise ; la conférence doit intervenir en amont, et non pour valider une orientation déjà arrêtée.',
      ],
      'crise-sanitaire': [
        'Pendant les confinements, l’association a organisé des conférences en partie à distance : temps d’information en visioconférence, temps privé en présence d’un nombre limité de proches, les autres étant joints par téléphone. L’adaptation a montré qu’il était possible d’associer des proches éloignés, et elle a été conservée.',
      ],
      evaluation: {
        parts: [
          [
            'Tableau de suivi des demandes (origine, délai, acceptation par la famille), nombre de participants et liens avec l’enfant, respect des étapes ; questionnaire aux participants à l’issue de la conférence.',
          ],
          [
            'Réunions de suivi à quelques mois puis à un an : mise en œuvre du plan, stabilité du retour en famille ou de l’accueil chez un proche, recours à de nouvelles mesures. Un bilan partagé avec le département doit éclairer la décision de pérenniser la pratique.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          [
            'Coordination des conférences familiales de l’association, par l’intermédiaire de la direction de l’enfance du département du Nord.',
          ],
          [`Le ${RAPPORT_HCTS} et ses fiches en annexe sur les conférences familiales.`],
        ],
      },
    },
  },
  {
    title: 'Aller-vers les allocataires sans demande : appels et permanences délocalisées — Oise',
    themes: ['aller-vers', 'coordination'],
    rapporteur: 1,
    metadata: {
      categorie: 'renaissante',
      territoire: 'dep:60',
      structure: 'Caisse d’allocations familiales — service d’action sociale',
      structureType: 'caf',
      public: 'Familles allocataires traversant un événement de vie fragilisant, sans demande formulée',
      anneeDemarrage: 2020,
      contact: 'Responsable de l’action sociale de la caisse',
      motsCles: [
        'non-recours',
        'permanence délocalisée',
        'appels sortants',
        'zone rurale',
        'accès aux droits',
      ],
    },
    sections: {
      identification: [
        'Les travailleurs sociaux d’une caisse d’allocations familiales prennent contact, sans attendre de demande, avec des familles allocataires qui traversent un événement de vie fragilisant (séparation, décès d’un proche, naissance dans un contexte de précarité), puis les rencontrent au plus près de chez elles, dans des permanences tenues en mairie ou en centre social. Lancée en 2020, la pratique renoue avec des permanences de proximité qui avaient disparu avec la dématérialisation des services : elle est renaissante.',
      ],
      origine: [
        'La dématérialisation des démarches et le regroupement des accueils ont éloigné une partie des allocataires, notamment en zone rurale, des travailleurs sociaux de la caisse. Les familles qu’il aurait fallu rencontrer ne se manifestaient pas : le non-recours aux droits et à l’accompagnement touchait précisément les personnes les plus fragiles.',
        'Le premier confinement a servi de déclencheur : pour ne pas perdre le lien, les travailleurs sociaux ont appelé eux-mêmes les familles repérées à partir des événements de vie connus de la caisse. La démarche, en phase avec la stratégie nationale de prévention et de lutte contre la pauvreté, a ensuite été prolongée et structurée.',
      ],
      description: [
        'La démarche repose sur une inversion assumée : ce n’est plus la personne qui demande, c’est le professionnel qui recherche et provoque la rencontre. Comme le note le rapport du HCTS :',
        {
          quote:
            '« Le déplacement peut être physique mais aussi virtuel (la personne peut être contactée par mail, téléphone... alors qu’elle n’a formulé aucune demande). »',
        },
        { heading: 'Trois temps' },
        {
          list: [
            'Le repérage : à partir des événements de vie enregistrés dans le dossier (séparation, décès, naissance, forte baisse de ressources), une liste de familles à contacter est établie chaque semaine.',
            'Le contact : un travailleur social appelle la famille, se présente, explique pourquoi il appelle et propose une rencontre. Un courrier ou un message est envoyé si la famille ne répond pas ; l’absence de réponse est respectée.',
            'La rencontre : au domicile si la famille le souhaite, ou dans une permanence délocalisée tenue à jours fixes dans une mairie, un centre social ou un lieu partagé avec d’autres services.',
          ],
        },
        'Lors de la rencontre, le travailleur social fait le point sur l’accès aux droits, propose un accompagnement si la famille le souhaite et oriente vers les partenaires. La permanence accueille aussi des habitants sans rendez-vous, ce qui permet de toucher des personnes qui n’avaient pas été repérées.',
      ],
      public: [
        'Familles allocataires confrontées à un événement fragilisant, en particulier parents isolés et familles éloignées des services en zone rurale. La démarche touche des personnes qui n’ont formulé aucune demande et qui, souvent, ignorent pouvoir être accompagnées.',
      ],
      acteurs: [
        'Travailleurs sociaux et conseillers de la caisse, en lien avec les communes qui mettent à disposition les lieux de permanence, le centre communal d’action sociale, le service social départemental et les centres sociaux. Une rencontre régulière entre ces partenaires évite que plusieurs services contactent la même famille et permet des orientations directes, sans renvoyer la personne d’un guichet à l’autre.',
      ],
      participation: [
        'Les familles sont libres de refuser le contact : le premier appel sert à proposer, jamais à imposer. Les retours des familles rencontrées, recueillis en fin d’accompagnement, ont conduit à modifier le contenu du premier appel et les horaires des permanences. Des habitants participent, avec les communes, au choix des lieux de permanence.',
      ],
      effets: [
        'Les travailleurs sociaux rencontrent des familles qu’ils ne voyaient plus, et plus tôt dans leurs difficultés. L’accès aux droits progresse grâce à la vérification systématique des prestations auxquelles la famille peut prétendre. Les familles disent avoir été surprises, puis rassurées, d’être appelées sans l’avoir demandé.',
        'Pour les professionnels, la démarche a d’abord suscité des réserves : crainte d’être intrusifs, inconfort d’être en position de demandeur. Des temps d’échange entre pairs ont permis de travailler cette posture, devenue un savoir-faire reconnu de l’équipe.',
      ],
      conditions: [
        'La démarche a tenu parce que la direction de la caisse l’a soutenue au-delà du premier confinement, en dégageant du temps pour les appels et les déplacements et en l’inscrivant dans les objectifs de l’action sociale. L’appui des communes, qui prêtent les locaux et relaient l’information, est déterminant en zone rurale. La formation à l’aller-vers, axe prioritaire du plan national de formation des travailleurs sociaux, a aidé à construire une culture commune.',
      ],
      vigilance: [
        'L’aller-vers comporte une dimension éthique : aller vers la personne même quand elle ne demande rien, tout en respectant son libre arbitre et sa vie privée. Le premier appel doit dire clairement d’où vient l’information et laisser la possibilité de refuser.',
        'Il faut aussi éviter de proposer des rencontres sans capacité de suivi : un contact proactif qui ne débouche sur rien abîme la confiance.',
      ],
      'crise-sanitaire': [
        'La crise sanitaire a été à la fois un révélateur et un accélérateur : les appels sortants, jusque-là ponctuels, sont devenus systématiques pendant le confinement pour garder le lien avec les familles isolées. L’équipe a ensuite choisi de les prolonger et d’y adjoindre la reprise des permanences délocalisées.',
      ],
      'regards-croises': {
        parts: [
          [
            'Les démarches d’« outreach » sont anciennes dans le travail social anglo-saxon, et le travail de rue est très structuré au Québec et en Belgique. Elles partagent avec cette pratique l’idée qu’il revient au service d’aller là où se trouvent les personnes.',
          ],
          [
            'Les travaux sur le non-recours aux droits montrent que les personnes les plus éloignées des institutions sont aussi les moins susceptibles de formuler une demande. Le rapport du HCTS souligne que l’aller-vers se déploie « sans théorie développée, mais fortement outillée par des expériences et des pratiques ».',
          ],
        ],
      },
      evaluation: {
        parts: [
          [
            'Familles repérées, jointes, rencontrées ; délai entre l’événement et le premier contact ; fréquentation des permanences ; part des rencontres à domicile et en permanence.',
          ],
          [
            'Droits ouverts ou régularisés après la rencontre, accompagnements engagés, orientations abouties vers les partenaires ; appréciation des familles recueillie en fin d’accompagnement ; analyse par l’équipe de l’évolution de sa posture professionnelle.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          ['Service d’action sociale de la caisse d’allocations familiales.'],
          [
            `Le ${RAPPORT_HCTS}, chapitre sur l’aller-vers ; les actes du colloque « L’aller vers, un enjeu de cohésion sociale » organisé par le HCTS et la Direction générale de la cohésion sociale.`,
          ],
        ],
      },
    },
  },
  {
    title: 'Des travailleurs pairs dans une équipe mobile psychiatrie précarité — Ille-et-Vilaine',
    themes: ['pair-aidance', 'aller-vers'],
    rapporteur: 2,
    metadata: {
      categorie: 'naissante',
      territoire: 'dep:35',
      structure: 'Équipe mobile psychiatrie précarité d’un centre hospitalier',
      structureType: 'sante',
      public: 'Personnes sans domicile présentant des troubles psychiques, sans suivi',
      anneeDemarrage: 2017,
      contact: 'Cadre de santé de l’équipe mobile',
      motsCles: ['travail pair', 'santé mentale', 'rétablissement', 'équipe mobile', 'savoirs expérientiels'],
    },
    sections: {
      identification: [
        'Une équipe mobile psychiatrie précarité, rattachée à un centre hospitalier, intègre depuis 2017 des travailleurs pairs : des personnes qui ont connu la rue, la précarité ou les troubles psychiques, formées et salariées pour accompagner, aux côtés des infirmiers et des travailleurs sociaux, des personnes sans domicile qui ne demandent pas de soins.',
      ],
      origine: [
        'L’équipe va au-devant des personnes sans domicile, là où leurs besoins s’expriment : rue, accueils de jour, centres d’hébergement. Elle se heurtait à la méfiance de personnes qui avaient connu de nombreuses ruptures avec les institutions et refusaient tout contact avec « la psychiatrie ».',
        'Des associations d’usagers et des expériences de médiation en santé par les pairs ont convaincu l’encadrement d’essayer une autre approche : s’appuyer sur la proximité expérientielle, cette « reconnaissance réciproque de soi dans l’expérience de l’autre », pour renouer le lien. Les premiers postes ont été financés sur des crédits d’expérimentation.',
      ],
      description: [
        'Les travailleurs pairs participent aux tournées de l’équipe et aux permanences dans les lieux d’accueil. Ils engagent la conversation, partagent lorsque c’est utile une part de leur propre parcours et accompagnent les personnes dans leurs démarches : rendez-vous médicaux, ouverture de droits, visite d’un logement.',
        'Leur rôle est distinct de celui des soignants et des travailleurs sociaux : ils ne posent pas de diagnostic et n’instruisent pas de dossier, mais apportent un savoir issu de l’expérience, qui complète les savoirs professionnels. Chaque situation est discutée en réunion d’équipe, où leur point de vue a le même poids que celui des autres membres.',
        'Leur intégration s’appuie sur :',
        {
          list: [
            'un temps d’intégration et de formation avant la première intervention sur le terrain ;',
            'une fiche de poste écrite avec les travailleurs pairs ;',
            'une supervision commune à toute l’équipe ;',
            'un binôme entre un travailleur pair et un professionnel lors des premières rencontres.',
          ],
        },
      ],
      public: [
        'Personnes sans domicile ou en grande précarité présentant des troubles psychiques, souvent sans suivi et sans demande, rencontrées dans la rue, dans les accueils de jour et dans les centres d’hébergement.',
      ],
      acteurs: [
        'Infirmiers, psychologue, travailleurs sociaux et travailleurs pairs de l’équipe mobile ; accueils de jour, centres d’hébergement et maraudes associatives ; services de psychiatrie et médecins généralistes ; une association d’usagers qui soutient les travailleurs pairs et participe à leur recrutement.',
      ],
      participation: [
        'La participation est double : d’anciens usagers des services ont pris place dans l’équipe ; et les personnes accompagnées voient leur parole portée en réunion par quelqu’un qui connaît leur situation de l’intérieur. Une fois par an, les personnes rencontrées sont invitées à dire ce qu’elles attendent de l’équipe, et ces échanges ont fait évoluer les horaires et les lieux des tournées.',
      ],
      effets: [
        'Les professionnels constatent que des personnes jusque-là inaccessibles acceptent un premier contact, puis un accompagnement vers les soins ou l’hébergement. Pour les personnes accompagnées, rencontrer quelqu’un qui « s’en est sorti » redonne une perspective de rétablissement.',
        'L’équipe a dû se transformer : des professionnels formés à l’expertise sur autrui ont appris à accepter le regard des pairs sur leurs propres pratiques. Pour les travailleurs pairs, l’emploi est aussi une étape de leur parcours, avec ses fragilités.',
      ],
      conditions: [
        'Le rapport du HCTS le souligne :',
        {
          quote:
            '« S’ouvrir à la pair-aidance nécessite d’accepter les incertitudes, l’expérimentation collective, les remises en question et les changements éventuels à tous les niveaux de l’institution. »',
        },
        'Le soutien de la direction de l’établissement, un statut et une rémunération reconnus pour les travailleurs pairs, une formation commune et une supervision régulière ont été déterminants.',
      ],
      vigilance: [
        'Plusieurs écueils guettent : cantonner les travailleurs pairs au premier contact ou aux tâches dont personne ne veut ; les exposer à l’épuisement lorsque les situations rencontrées font écho à leur propre histoire ; laisser les postes dépendre de financements précaires. La question du secret partagé doit être posée clairement dès leur arrivée dans l’équipe.',
      ],
      'crise-sanitaire': [
        'Pendant les confinements, les travailleurs pairs ont été des relais essentiels auprès des personnes à la rue : expliquer les consignes sanitaires, orienter vers les lieux de mise à l’abri, garder le lien par téléphone avec celles qui avaient été hébergées. La crise a renforcé leur légitimité dans l’équipe et dans l’établissement.',
      ],
      'regards-croises': {
        parts: [
          [
            'Les pairs aidants sont reconnus depuis longtemps dans les services de santé mentale au Québec et dans plusieurs pays anglo-saxons, où des formations et des statuts d’emploi leur sont consacrés.',
          ],
          [
            'Les travaux sur le rétablissement en santé mentale et sur les savoirs expérientiels éclairent la pratique, de même que les recherches sur l’intégration de travailleurs pairs dans les équipes et sur ses effets sur les pratiques professionnelles.',
          ],
        ],
      },
      evaluation: {
        parts: [
          [
            'Suivi des interventions en binôme, des premières rencontres et des accompagnements engagés ; analyse, en supervision, de la place prise par les travailleurs pairs dans les décisions de l’équipe.',
          ],
          [
            'Accès aux soins et à l’hébergement des personnes accompagnées, maintien du lien dans la durée ; entretiens avec les personnes accompagnées, les travailleurs pairs et les professionnels sur ce que la pratique a changé pour chacun.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          ['Cadre de santé de l’équipe mobile psychiatrie précarité du centre hospitalier.'],
          [`Le ${RAPPORT_HCTS}, chapitre sur la pair-aidance et fiches exemples.`],
        ],
      },
    },
  },
  {
    title: 'Un collectif d’habitants pour agir sur le logement — Bouches-du-Rhône',
    themes: ['pouvoir-d-agir', 'coordination'],
    rapporteur: 2,
    metadata: {
      categorie: 'renaissante',
      territoire: 'dep:13',
      structure: 'Centre communal d’action sociale',
      structureType: 'ccas',
      public: 'Locataires d’un quartier d’habitat social',
      anneeDemarrage: 2015,
      contact: 'Service d’action sociale du CCAS',
      motsCles: [
        'intervention collective',
        'logement',
        'travail social communautaire',
        'habitants',
        'empowerment',
      ],
    },
    sections: {
      identification: [
        'Le centre communal d’action sociale d’une commune des Bouches-du-Rhône accompagne depuis 2015 un collectif de locataires d’un quartier d’habitat social, qui agit sur les problèmes de logement que ses membres rencontrent (humidité, charges, travaux non réalisés), selon une démarche de développement du pouvoir d’agir des personnes et des collectivités.',
      ],
      origine: [
        'Les travailleurs sociaux du CCAS recevaient, en entretien individuel, de nombreux ménages du même quartier pour des difficultés de paiement des charges et des logements dégradés. Chaque situation était traitée séparément, sans effet sur les causes communes.',
        'Une conseillère en économie sociale et familiale et un assistant de service social, formés à l’intervention collective, ont proposé de réunir les personnes concernées. La démarche renoue avec le travail social communautaire et les interventions collectives, longtemps délaissés au profit de l’accompagnement individuel : c’est en ce sens une pratique renaissante.',
      ],
      description: [
        'La démarche suit les étapes du développement du pouvoir d’agir :',
        {
          list: [
            'partir de ce que les personnes identifient elles-mêmes comme problème, et non du diagnostic des professionnels ;',
            'réunir les personnes concernées pour qu’elles constatent que leur difficulté est partagée ;',
            'définir avec elles un changement concret et atteignable ;',
            'construire et conduire l’action collectivement, les professionnels facilitant sans décider ;',
            'prendre le temps de relire l’action et d’en tirer les apprentissages.',
          ],
        },
        'Concrètement, le collectif s’est réuni au centre social du quartier, a recensé les désordres dans les logements, a rencontré le bailleur et obtenu un calendrier de travaux. Il a ensuite organisé des ateliers sur la lecture des décomptes de charges et la maîtrise de l’énergie, animés par des locataires avec l’appui de la conseillère.',
      ],
      public: [
        'Locataires d’un quartier d’habitat social, familles et personnes âgées aux ressources modestes pour la plupart, dont une partie était déjà accompagnée individuellement par le CCAS.',
      ],
      acteurs: [
        'Travailleurs sociaux du CCAS, centre social du quartier, bailleur social, association de locataires, médiateurs sociaux, élus de la commune. Le partenariat s’est construit autour d’un besoin précis ; il a permis de rompre la logique de silos entre accompagnement individuel, animation du quartier et gestion locative.',
      ],
      participation: [
        'Les personnes concernées sont les actrices de la démarche : elles fixent l’ordre du jour, choisissent les actions et désignent les porte-parole qui rencontrent le bailleur et la commune. Les professionnels veillent à ce que chacun puisse prendre la parole, y compris les personnes qui maîtrisent mal le français, et se gardent de se substituer au collectif.',
      ],
      effets: [
        'Pour les habitants : des travaux obtenus, une meilleure compréhension des charges et surtout l’expérience d’avoir pu agir ensemble sur une situation qui semblait bloquée. Des membres du collectif se sont ensuite engagés dans d’autres instances du quartier.',
        'Pour les professionnels : un changement de posture, de l’aide individuelle à la facilitation d’une action collective, et une meilleure connaissance du quartier. Pour le CCAS : des demandes individuelles moins répétitives et une relation renouvelée avec le bailleur.',
      ],
      conditions: [
        'Le soutien de la direction du CCAS et des élus, qui ont accepté une action dont l’issue n’était pas écrite d’avance, a été décisif : pour les travailleurs sociaux impliqués, le soutien de la hiérarchie permet d’expérimenter et de retrouver eux-mêmes du pouvoir d’agir. La formation à l’intervention collective, des temps d’analyse de la pratique et la durée ont permis à la démarche de s’installer.',
      ],
      vigilance: [
        'Le risque principal est l’instrumentalisation : un collectif mobilisé pour relayer les messages de l’institution perd sa raison d’être. Les professionnels doivent aussi accepter d’être parfois mis en cause par les habitants.',
        'Enfin, le travail collectif est peu visible dans les indicateurs d’activité habituels : faute d’être rendu visible, il est le premier sacrifié lorsque les demandes individuelles augmentent.',
      ],
      'crise-sanitaire': [
        'Pendant les confinements, le collectif a gardé le lien par un groupe de messagerie et s’est mué en réseau d’entraide entre voisins : courses pour les personnes âgées, relais d’information sur les aides d’urgence. Cette capacité d’organisation, construite avant la crise, a été remarquée par les partenaires.',
      ],
      'regards-croises': {
        parts: [
          [
            'Le développement du pouvoir d’agir, ou empowerment, trouve sa source dans les années 1960 aux États-Unis et concerne aussi bien les individus que les communautés. Au Québec, une approche centrée sur le développement du pouvoir d’agir des personnes et des collectivités a été formalisée et diffusée dans la formation des travailleurs sociaux.',
          ],
          [
            'Le Guide d’appui aux interventions collectives du travail social en faveur du développement social, élaboré au sein du HCTS, clarifie les notions et présente les méthodes d’intervention collective : travail social de groupe, travail social communautaire, éducation populaire. Il invite à ne pas confondre développement social et travail social collectif.',
          ],
        ],
      },
      evaluation: {
        parts: [
          [
            'Fréquence et fréquentation des réunions, diversité des participants, part des décisions prises par le collectif, prise de parole des habitants lors des rencontres avec les partenaires.',
          ],
          [
            'Changements obtenus sur le logement, évolution des demandes individuelles liées aux mêmes causes, engagement des membres dans d’autres instances ; relecture annuelle avec les habitants, qui décrivent eux-mêmes ce que l’action a changé pour eux.',
          ],
        ],
      },
      'aller-plus-loin': {
        parts: [
          ['Service d’action sociale du centre communal d’action sociale.'],
          [
            `Le Guide d’appui aux interventions collectives du travail social en faveur du développement social ; le ${RAPPORT_HCTS}, fiches exemples sur le développement du pouvoir d’agir.`,
          ],
        ],
      },
    },
  },
];

/** The synthesis' introduction, from the mandate; the other sections are left to the rapporteurs. */
const syntheseIntroduction: readonly Block[] = [
  'Le Haut Conseil du travail social a confié au groupe de travail un mandat spécifique sur l’identification des pratiques émergentes du travail social et du développement social, sur leur évaluation et sur les conditions favorables à leur développement. Selon l’article D 142-1-1 du code de l’action sociale et des familles, « le travail social regroupe un ensemble de pratiques professionnelles qui s’inscrit dans un champ pluridisciplinaire et interdisciplinaire » : ces pratiques, leur diffusion et l’accompagnement de leurs évolutions sont au cœur du mandat du Haut Conseil.',
  'Les pratiques ont été repérées par un questionnaire en ligne adressé aux travailleurs et intervenants sociaux, par le réseau des comités locaux du travail social et du développement social et par des auditions. Le questionnaire distingue trois catégories de pratiques émergentes : naissantes, renaissantes, et existantes mais confidentielles. Le groupe a retenu deux questions transversales, « travailler ensemble » et « rencontrer l’autre », et les thèmes des conférences familiales, de l’aller-vers, de la pair-aidance, de la coordination des interventions pluridisciplinaires et du développement du pouvoir d’agir. Les fiches pratiques figurent en annexe.',
];

const text = (value: string): DocJSON[] => (value ? [{ type: 'text', text: value }] : []);
const paragraph = (value: string): DocJSON => ({ type: 'paragraph', content: text(value) });

function blockJSON(block: Block): DocJSON {
  if (typeof block === 'string') return paragraph(block);
  if ('list' in block) {
    return {
      type: 'bulletList',
      content: block.list.map((item) => ({ type: 'listItem', content: [paragraph(item)] })),
    };
  }
  if ('quote' in block) return { type: 'blockquote', content: [paragraph(block.quote)] };
  return { type: 'heading', attrs: { level: block.level ?? 3 }, content: text(block.heading) };
}

/** Blocks as JSON; a section part is never empty (the schema wants a block after each title). */
const blocksJSON = (blocks: readonly Block[] | undefined): DocJSON[] =>
  blocks && blocks.length > 0 ? blocks.map(blockJSON) : [{ type: 'paragraph' }];

/**
 * One section of {@link templateContent} with its text: the title and the template's subheadings
 * are kept, the empty paragraphs give way to the text. A section without text stays as it is.
 */
function fillSection(section: DocJSON, value: SectionText | undefined): DocJSON {
  if (!value) return section;
  const [title, ...rest] = section.content ?? [];
  if (!title) return section;
  const headings = rest.filter((node) => node.type === 'heading');
  let body: DocJSON[];
  if (headings.length === 0) {
    body = blocksJSON('parts' in value ? value.parts.flat() : value);
  } else {
    const parts = 'parts' in value ? value.parts : [value];
    body = headings.flatMap((heading, i) => [heading, ...blocksJSON(parts[i])]);
  }
  return { ...section, content: [title, ...body] };
}

/** A document made from `template`, each section filled with its text (by section key). */
export function filledContent(
  template: DocumentTemplate,
  sections: Partial<Record<string, SectionText>>,
  newId: () => string,
): DocJSON {
  const doc = templateContent(template, newId);
  return {
    ...doc,
    content: (doc.content ?? []).map((section) => {
      const key = section.attrs?.key;
      return fillSection(section, typeof key === 'string' ? sections[key] : undefined);
    }),
  };
}

export function ficheContent(fiche: DemoFiche, newId: () => string): DocJSON {
  return filledContent(ficheTemplate, fiche.sections, newId);
}

/** « Conseil départemental » → « conseil départemental », but « CAF » stays as it is. */
const lowerFirst = (label: string): string =>
  label.replace(/^(\p{Lu})(?=\p{Ll})/u, (initial) => initial.toLowerCase());

/** « Ardèche (07), conseil départemental, pratique naissante depuis 2016. » */
export function ficheSummary(fiche: DemoFiche): string {
  const { territoire, structureType, categorie, anneeDemarrage } = fiche.metadata;
  const parts = [
    territoire ? territoireLabel(territoire) : null,
    structureType ? lowerFirst(structureTypeLabels[structureType]) : null,
    categorie
      ? `pratique ${lowerFirst(categoryLabels[categorie])}${anneeDemarrage ? ` depuis ${anneeDemarrage}` : ''}`
      : null,
  ].filter((part): part is string => Boolean(part));
  return parts.join(', ');
}

/**
 * The synthesis skeleton: the template, its introduction, and in « Annexes » one paragraph per
 * fiche with a link (`docRef`) to it.
 */
export function syntheseContent(
  fiches: readonly { id: string; fiche: DemoFiche }[],
  newId: () => string,
): DocJSON {
  const doc = filledContent(syntheseTemplate, { introduction: syntheseIntroduction }, newId);
  return {
    ...doc,
    content: (doc.content ?? []).map((section) => {
      if (section.attrs?.key !== 'annexes' || fiches.length === 0) return section;
      const [title] = section.content ?? [];
      if (!title) return section;
      return {
        ...section,
        content: [
          title,
          ...fiches.map(({ id, fiche }) => ({
            type: 'paragraph',
            content: [
              { type: 'docRef', attrs: { documentId: id, title: fiche.title } },
              ...text(` — ${ficheSummary(fiche)}.`),
            ],
          })),
        ],
      };
    }),
  };
}
