import { Box, Text } from 'ink';

/** Shown when the store has no sessions at all (the plugin's 404 "No carts in session!"). */
export function EmptyScreen({ url }: { url: string }) {
  return (
    <Box flexDirection="column" paddingX={2} paddingY={1}>
      <Text bold>No carts in session.</Text>
      <Text>{`${url} has no sessions right now: no shopper has a cart.`}</Text>
      <Text dimColor>Press r to check again, q to quit.</Text>
    </Box>
  );
}
