import { describe, expect, it } from 'vitest';
import {
  chooseColour,
  contrastRatio,
  isPresenceColour,
  PRESENCE_PALETTE,
  yieldsTo,
  type ColourClaim,
} from './presenceColours.js';

const [first, second, third] = PRESENCE_PALETTE;
const violet = '#8c3fb0';
/**
 * CIE 1976 colour difference ΔE*ab between two sRGB `#rrggbb` colours: Euclidean distance in
 * CIELAB, D65 white (sRGB to XYZ matrix of IEC 61966-2-1, CIELAB of CIE 15:2004).
 */
function deltaE76(a: string, b: string): number {
  const lab = (hex: string): [number, number, number] => {
    const [r, g, bl] = [0, 1, 2].map((i) => {
      const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    const x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    const z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
    const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
    return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
  };
  return Math.hypot(...lab(a).map((v, i) => v - (lab(b)[i] as number)));
}

const claim = (clientId: number, colour: string, settled = true): ColourClaim => ({
  clientId,
  colour,
  settled,
});

describe('the presence palette', () => {
  it('keeps white name labels at a contrast of at least 4.5:1 on every colour (WCAG 1.4.3)', () => {
    for (const colour of PRESENCE_PALETTE) {
      expect(contrastRatio(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('measures contrast with the WCAG formula (black on white is 21:1, a colour on itself 1:1)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio(violet, violet)).toBe(1);
  });

  it('gives the first five people colours at least ΔE* 40 apart, and orders them farthest first', () => {
    const closest = (colours: readonly string[]): number =>
      Math.min(...colours.flatMap((a, i) => colours.slice(0, i).map((b) => deltaE76(a, b))));
    expect(closest(PRESENCE_PALETTE.slice(0, 4))).toBeGreaterThanOrEqual(55);
    expect(closest(PRESENCE_PALETTE.slice(0, 5))).toBeGreaterThanOrEqual(40);
    // Each next colour is the farthest from those before it.
    for (let k = 1; k < PRESENCE_PALETTE.length; k++) {
      const before = PRESENCE_PALETTE.slice(0, k);
      const distance = (c: string): number => Math.min(...before.map((b) => deltaE76(c, b)));
      const rest = PRESENCE_PALETTE.slice(k).map(distance);
      expect(distance(PRESENCE_PALETTE[k] as string)).toBe(Math.max(...rest));
    }
  });

  it('measures colour distances in CIELAB (black to white is ΔE* 100)', () => {
    expect(deltaE76('#000000', '#ffffff')).toBeCloseTo(100, 1);
    expect(deltaE76(violet, violet)).toBe(0);
  });

  it('holds eight different colours and knows only those', () => {
    expect(new Set(PRESENCE_PALETTE).size).toBe(8);
    expect(isPresenceColour(violet)).toBe(true);
    expect(isPresenceColour('#8C3FB0')).toBe(false);
    expect(isPresenceColour('#ffffff')).toBe(false);
    expect(isPresenceColour(42)).toBe(false);
  });
});

describe('choosing a presence colour', () => {
  it('keeps your colour when nobody else in the document holds it', () => {
    expect(chooseColour(claim(5, violet, false), [claim(1, first), claim(2, second)])).toBe(violet);
  });

  it('gives a newcomer the first free colour when someone present already holds theirs', () => {
    expect(chooseColour(claim(1, violet, false), [claim(9, violet), claim(8, first)])).toBe(second);
  });

  it('lets a settled person keep their colour even against a newcomer with a lower client id', () => {
    expect(chooseColour(claim(9, violet, true), [claim(1, violet, false)])).toBe(violet);
  });

  it('makes the higher client id pick again when two people claim one colour at the same moment', () => {
    expect(chooseColour(claim(3, violet, false), [claim(7, violet, false)])).toBe(violet);
    expect(chooseColour(claim(7, violet, false), [claim(3, violet, false)])).toBe(first);
    expect(chooseColour(claim(7, violet, true), [claim(3, violet, true)])).toBe(first);
  });

  it('ends with three distinct colours for three accounts whose own colours collide', () => {
    // Every page applies the rule in turn until nobody changes, as awareness updates would.
    const people = [claim(30, violet, false), claim(10, violet, false), claim(20, violet, false)];
    for (let round = 0; round < 5; round += 1) {
      for (const [i, me] of people.entries()) {
        people[i] = {
          ...me,
          colour: chooseColour(
            me,
            people.filter((_, j) => j !== i),
          ),
          settled: true,
        };
      }
    }
    expect(new Set(people.map((p) => p.colour)).size).toBe(3);
    expect(people.find((p) => p.clientId === 10)?.colour).toBe(violet);
  });

  it('gives a colour from outside the palette the first free palette colour', () => {
    expect(chooseColour(claim(1, '#123456', true), [claim(2, first)])).toBe(second);
  });

  it('shares the least-held colour when more people are present than the palette has colours', () => {
    const others = PRESENCE_PALETTE.map((colour, i) => claim(100 + i, colour));
    others.push(claim(200, first), claim(201, second));
    expect(chooseColour(claim(300, first, false), others)).toBe(third);
  });

  it('gives the tabs of one person the colour of their first tab, and keeps it apart from the others’', () => {
    const tab = (clientId: number, colour: string, person: string, settled = true): ColourClaim => ({
      clientId,
      colour,
      settled,
      person,
    });
    // Julien's second tab takes the colour of his first, already settled, even though it is his.
    expect(
      chooseColour(tab(9, second, 'julien', false), [tab(4, first, 'julien'), tab(5, second, 'karima')]),
    ).toBe(first);
    // His first tab keeps its colour: his other tabs do not count as someone else holding it.
    expect(chooseColour(tab(4, first, 'julien'), [tab(9, first, 'julien'), tab(5, second, 'karima')])).toBe(
      first,
    );
    // Five people in twelve tabs, every page applying the rule in turn: five colours, one each.
    const people = ['julien', 'karima', 'thomas', 'sophie', 'paul'];
    const tabs = Array.from({ length: 12 }, (_, i) => tab(100 - i, violet, people[i % 5] as string, false));
    for (let round = 0; round < 6; round += 1) {
      for (const [i, me] of tabs.entries()) {
        tabs[i] = {
          ...me,
          colour: chooseColour(
            me,
            tabs.filter((_, j) => j !== i),
          ),
          settled: true,
        };
      }
    }
    const colourOf = new Map<string, Set<string>>();
    for (const t of tabs)
      colourOf.set(t.person ?? '', (colourOf.get(t.person ?? '') ?? new Set()).add(t.colour));
    expect([...colourOf.values()].map((colours) => colours.size)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(tabs.map((t) => t.colour)).size).toBe(5);
  });

  it('orders claims totally: settled before unsettled, then the lower client id', () => {
    expect(yieldsTo(claim(1, violet, false), claim(2, violet, true))).toBe(true);
    expect(yieldsTo(claim(2, violet, true), claim(1, violet, false))).toBe(false);
    expect(yieldsTo(claim(2, violet, true), claim(1, violet, true))).toBe(true);
    expect(yieldsTo(claim(1, violet, true), claim(2, violet, true))).toBe(false);
  });
});
