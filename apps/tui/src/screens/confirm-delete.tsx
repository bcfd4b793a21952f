import { Text } from 'ink';
import { useColor } from '../hooks/use-theme.js';

/** The y/N question before a delete; it names the cart and its customer. */
export function ConfirmDelete({ cartKey, name }: { cartKey: string; name: string }) {
  const color = useColor();
  const who = name ? ` (${name})` : '';
  return (
    <Text bold wrap="truncate" color={color('red')}>
      {`Delete cart ${cartKey}${who}? This cannot be undone. y/N`}
    </Text>
  );
}
