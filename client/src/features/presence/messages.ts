/** Every sentence of the presence list, in one place so it can be translated. */
export const presenceMessages = {
  title: 'Personnes présentes',
  you: 'vous',
  alone: 'Vous êtes seul ou seule sur ce document pour le moment.',
  count: (n: number) => (n <= 1 ? '1 personne' : `${n} personnes`),
  anonymous: 'Personne sans nom',
  joined: (name: string) => `${name} a rejoint le document.`,
  left: (name: string) => `${name} a quitté le document.`,
} as const;
