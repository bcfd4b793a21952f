/** Reads a password from a TTY without echoing it; resolves undefined on Ctrl+C or end of input. */
export function promptPassword(
  question: string,
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WritableStream,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    const finish = (result: string | undefined) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode?.(wasRaw ?? false);
      stdin.pause();
      stderr.write('\n');
      resolve(result);
    };
    const onEnd = () => finish(undefined);
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(value);
        if (ch === '\u0003' || ch === '\u0004') return finish(undefined);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
