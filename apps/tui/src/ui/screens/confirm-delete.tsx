import { Text } from 'ink';
import { useColor } from '../hooks/use-theme.js';
import type { Confirm } from '../state/reducer.js';

/** The y/N question before a delete: it names the cart and its customer, or the count of marked carts. */
export function ConfirmDelete({ confirm }: { confirm: Confirm }) {
  const color = useColor();
  let what: string;
  if ('keys' in confirm) {
    what = `${confirm.keys.length} ${confirm.keys.length === 1 ? 'cart' : 'carts'}`;
  } else {
    what = `cart ${confirm.key}${confirm.name ? ` (${confirm.name})` : ''}`;
  }
  return (
    <Text bold wrap="truncate" color={color('red')}>
      {`Delete ${what}? This cannot be undone. y/N`}
    </Text>
  );
}
