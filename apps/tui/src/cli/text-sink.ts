import { once } from 'node:events';

/** Where a command's output goes as it is made. */
export interface TextSink {
  /** Takes `text`; a promise when the caller must wait before writing more (the reader is behind). */
  write(text: string): Promise<void> | undefined;
  /** Writes whatever is held. */
  flush(): Promise<void>;
}

/** Text held before it is handed to the stream: one write per block, not per line. */
const BLOCK = 16 * 1024;

/**
 * A sink on a writable stream that respects its backpressure: when the stream's buffer is full,
 * `write` returns a promise of its 'drain', so a slow reader (`| less`, a full pipe) slows the
 * listing down instead of filling memory.
 */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  let held = '';
  const flush = async () => {
    if (held === '') return;
    const text = held;
    held = '';
    if (!stream.write(text)) await once(stream, 'drain');
  };
  return {
    write(text) {
      held += text;
      return held.length >= BLOCK ? flush() : undefined;
    },
    flush,
  };
}

/** A sink that keeps everything: for a caller that wants the whole output as one string. */
export function stringSink(): TextSink & { text(): string } {
  let all = '';
  return {
    write(text) {
      all += text;
      return undefined;
    },
    flush: async () => {},
    text: () => all,
  };
}
