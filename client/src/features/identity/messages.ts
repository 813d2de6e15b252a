/** Every sentence of the display-name feature, in one place so it can be translated. */
export const identityMessages = {
  formTitle: 'Choisissez votre nom affiché',
  formIntro:
    'Ce nom apparaît aux autres personnes qui modifient le même document, à côté de votre curseur et dans la liste des présents. Il est enregistré uniquement dans ce navigateur.',
  nameLabel: 'Votre nom affiché',
  nameHint: 'Par exemple votre prénom et l’initiale de votre nom, ou le nom de votre structure.',
  nameRequired: 'Indiquez le nom à afficher.',
  nameTooLong: (max: number) => `Le nom ne peut pas dépasser ${max} caractères.`,
  colourPreview: 'Votre couleur :',
  submitFirst: 'Continuer',
  submitChange: 'Enregistrer ce nom',
  cancel: 'Annuler',
  headerButton: (name: string) => `Nom affiché : ${name}`,
  headerButtonEmpty: 'Choisir mon nom affiché',
  modalTitle: 'Modifier votre nom affiché',
} as const;
