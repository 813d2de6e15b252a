/**
 * Remembers what `compute` returned for an object, as long as the object lives. For immutable
 * values such as ProseMirror documents: a transaction that only moves the caret keeps the same
 * document, so whatever is derived from it (outline, notes, page count) is not walked again.
 */
export function memoByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
