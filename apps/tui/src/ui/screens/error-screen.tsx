import { Box, Text } from 'ink';
import { useColor } from '../hooks/use-theme.js';

/** Shown when the list could not be loaded at all (wrong credentials, server down...). */
export function ErrorScreen({ message, url }: { message: string; url: string }) {
  const color = useColor();
  return (
    <Box flexDirection="column" paddingX={2} paddingY={1}>
      <Text bold color={color('red')}>
        Could not load the sessions of {url}
      </Text>
      <Text>{message}</Text>
      <Text dimColor>Press r to retry, q to quit.</Text>
    </Box>
  );
}
