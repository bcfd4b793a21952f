import { Text, useAnimation } from 'ink';
import { useColor } from '../hooks/use-theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner followed by what is being waited for. */
export function Spinner({ label }: { label: string }) {
  const { frame } = useAnimation({ interval: 80 });
  const color = useColor();
  return (
    <Text>
      <Text color={color('cyan')}>{FRAMES[frame % FRAMES.length]}</Text> {label}
    </Text>
  );
}
