import { useEffect, useMemo, useRef, useState } from 'react';
import type { CartValue } from '../../cart-values/cart-figures.js';
import { CartValueLoader } from '../../cart-values/cart-value-loader.js';
import type { SessionSource } from '../../sessions/source.js';

/** Answers arriving within this many ms are drawn in one frame: a screen of carts is one redraw, not 40. */
const REDRAW_MS = 250;

/**
 * The cart values (ITEMS, VALUE) of the rows on screen: `keys` are read through `source` a few at a
 * time and drawn as they arrive; nothing here makes a key press wait. The returned `loader` is the
 * cache (`revalidate()` on a refresh, `figures()` to sort by value).
 */
export function useCartValues(source: Pick<SessionSource, 'get'>, keys: readonly string[]) {
  const [version, setVersion] = useState(0);
  const redraw = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const loader = useMemo(
    () =>
      new CartValueLoader(source, {
        onChange: () => {
          redraw.current ??= setTimeout(() => {
            redraw.current = undefined;
            setVersion((v) => v + 1);
          }, REDRAW_MS);
        },
      }),
    [source],
  );
  useEffect(
    () => () => {
      loader.close();
      clearTimeout(redraw.current);
    },
    [loader],
  );
  // The keys as one value, so the same screen of rows asks nothing again.
  const shown = keys.join('\n');
  useEffect(() => {
    loader.want(shown === '' ? [] : shown.split('\n'));
  }, [loader, shown]);
  // `version` is a dependency: it says the loader's answers changed.
  const values = useMemo(() => {
    const map = new Map<string, CartValue>();
    for (const key of shown === '' ? [] : shown.split('\n')) map.set(key, loader.valueOf(key));
    return map;
  }, [loader, shown, version]);
  return { values, loader };
}
