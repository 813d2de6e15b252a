import { useLayoutEffect, useState, type CSSProperties, type RefObject } from 'react';

/**
 * Keeps an element at least as tall as it was drawn while `holding`, once `holding` turns false:
 * the style to give it (`minHeight`), or undefined. For what a page draws while offline and
 * takes away when the network is back (a saved answer's mark, the offline notice): what is under
 * it does not move up. The element has no vertical padding or border (the height is its box's).
 */
export function useHeldHeight(
  ref: RefObject<HTMLElement | null>,
  holding: boolean,
): CSSProperties | undefined {
  const [height, setHeight] = useState<number | null>(null);
  // Its height while holding, as it changes (the same height twice does not draw again).
  useLayoutEffect(() => {
    const element = ref.current;
    if (!holding || !element) return;
    const observer = new ResizeObserver(() => setHeight(element.getBoundingClientRect().height));
    observer.observe(element);
    return () => observer.disconnect();
  }, [holding, ref]);
  return !holding && height !== null ? { minHeight: height } : undefined;
}
