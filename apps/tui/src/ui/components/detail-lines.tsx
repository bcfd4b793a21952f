import { Box, Text } from 'ink';
import type { DetailLine } from '../../format/cart.js';
import { useColor } from '../hooks/use-theme.js';

/** A scrolled window of detail lines (cart, items, help): only `height` lines are rendered. */
export function DetailLines(props: { lines: readonly DetailLine[]; offset: number; height: number }) {
  const color = useColor();
  const maxOffset = Math.max(0, props.lines.length - props.height);
  const offset = Math.min(props.offset, maxOffset);
  const visible = props.lines.slice(offset, offset + props.height);
  return (
    <Box flexDirection="column">
      {visible.map((line, i) => (
        <Text
          key={offset + i}
          wrap="truncate"
          bold={line.kind === 'title' || line.kind === 'heading' || line.kind === 'total'}
          color={line.kind === 'title' ? color('cyan') : undefined}
          dimColor={line.kind === 'dim'}
        >
          {line.text || ' '}
        </Text>
      ))}
      {props.lines.length > props.height ? (
        <Text
          dimColor
        >{`  lines ${offset + 1}-${offset + visible.length} of ${props.lines.length} (↑/↓ scroll)`}</Text>
      ) : null}
    </Box>
  );
}
