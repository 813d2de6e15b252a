/**
 * The colours of the people present in a document (their caret, its name label, their swatch in
 * the presence list), distinct within one document (issue 16: a hash of the account gave three
 * of the five demo accounts the same violet).
 *
 * Each colour carries white text (the caret's name label) at a contrast of at least 4.5:1, the
 * WCAG 2.x level AA for normal text (success criterion 1.4.3); `contrastRatio` below is WCAG's
 * formula, checked for every colour by presenceColours.test.ts.
 *
 * People take the colours in this order (the first one nobody holds), so the order puts the
 * colours apart: each next colour is the one farthest (CIE 1976 ΔE* in CIELAB) from those before
 * it. Up to five people, no two colours are closer than ΔE* 42 (the orange and the red, 23 apart,
 * only meet from eight people on; they were the second and fourth colours, tester BR40 L4).
 */
export const PRESENCE_PALETTE = [
  '#3558a2',
  '#ce0500',
  '#18753c',
  '#c3006b',
  '#716043',
  '#8c3fb0',
  '#006a6f',
  '#b34000',
] as const;

/** A colour of {@link PRESENCE_PALETTE}. */
export type PresenceColour = (typeof PRESENCE_PALETTE)[number];

/** Whether a value is one of the palette's colours (`#rrggbb`, lower case). */
export function isPresenceColour(value: unknown): value is PresenceColour {
  return typeof value === 'string' && (PRESENCE_PALETTE as readonly string[]).includes(value);
}

/** One other person's claim on a colour, as read from their awareness state. */
export interface ColourClaim {
  /** Their Yjs awareness client id. */
  clientId: number;
  colour: string;
  /** True once they have checked their colour against the people already there. */
  settled: boolean;
  /**
   * The account behind the claim (awareness `user.id`), when known: the tabs of one person share
   * one colour, and never count as someone else holding it.
   */
  person?: string;
}

/**
 * Whether `mine` must give way to `theirs` when both hold the same colour: a settled claim
 * (someone already present) beats one being made; between two claims of the same kind, the lower
 * client id keeps the colour and the higher one picks again. A total order, so every conflict
 * ends with one holder per colour.
 */
export function yieldsTo(mine: ColourClaim, theirs: ColourClaim): boolean {
  if (mine.settled !== theirs.settled) return theirs.settled;
  return theirs.clientId < mine.clientId;
}

/**
 * The colour a person should hold, given their own claim and the others present in the same
 * document: their current colour when no one they must give way to ({@link yieldsTo}) holds it,
 * otherwise the first palette colour nobody else holds. With more people than colours, the first
 * colour held by the fewest others (a collision cannot be avoided, it is kept as rare as possible).
 * `others` must not include the claim itself.
 *
 * The tabs of one person (claims of the same `person`) share a colour: the colour of the tab
 * that goes first by {@link yieldsTo}'s order (settled before unsettled, then the lower client id),
 * which alone applies the rule above, among the other people only. Counted apart, a person's
 * extra tabs used up the palette's eight colours and two people ended up sharing one (five people
 * in twelve tabs had eight colours, tester BR38 F6).
 */
export function chooseColour(mine: ColourClaim, others: readonly ColourClaim[]): PresenceColour {
  const samePerson = (other: ColourClaim): boolean =>
    mine.person !== undefined && other.person === mine.person;
  const ownTabs = others.filter(samePerson);
  const first = ownTabs.reduce((earlier, tab) => (yieldsTo(earlier, tab) ? tab : earlier), mine);
  if (first !== mine && isPresenceColour(first.colour)) return first.colour;
  return colourAmong(mine, ownTabs.length > 0 ? others.filter((other) => !samePerson(other)) : others);
}

/** {@link chooseColour}'s rule between different people. */
function colourAmong(mine: ColourClaim, others: readonly ColourClaim[]): PresenceColour {
  const current = isPresenceColour(mine.colour) ? mine.colour : null;
  if (current && !others.some((o) => o.colour === current && yieldsTo(mine, o))) return current;
  const held = new Map<string, number>();
  for (const o of others) held.set(o.colour, (held.get(o.colour) ?? 0) + 1);
  let best: PresenceColour = PRESENCE_PALETTE[0];
  let fewest = Number.POSITIVE_INFINITY;
  for (const colour of PRESENCE_PALETTE) {
    const count = held.get(colour) ?? 0;
    if (count < fewest) [best, fewest] = [colour, count];
    if (count === 0) break;
  }
  return best;
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2.x contrast ratio between two `#rrggbb` colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}
