import { createContext, useContext } from 'react';

/** Display preferences shared by every component. */
export interface Theme {
  /** False under NO_COLOR: components then draw with text and inverse only. */
  color: boolean;
}

/** Provides the theme; defaults to colour on. */
export const ThemeContext = createContext<Theme>({ color: true });

/** A colour name when colour is on, otherwise undefined (Ink then sets no colour). */
export function useColor(): (name: string) => string | undefined {
  const { color } = useContext(ThemeContext);
  return (name) => (color ? name : undefined);
}
