import { serializeCart, serializeItemsMap } from '@cocart-sessions/core';
import type { SessionSource } from '../sessions/source.js';
import type { CliCommand } from './args.js';
import { type ListSource, writeList } from './list-command.js';
import { stringSink, type TextSink } from './text-sink.js';

/**
 * Runs `list`, `get` or `items`. `list` is written to `sink` as it streams in; the others return
 * their text, ending with a newline. Errors propagate as the client threw them; the caller maps
 * them to exit codes.
 */
export async function runReadCommand(
  command: Extract<CliCommand, { name: 'list' | 'get' | 'items' }>,
  source: SessionSource & ListSource,
  sink: TextSink,
  opts: { json: boolean; now: number; width?: number },
): Promise<void> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  switch (command.name) {
    case 'list':
      return writeList(source, sink, { ...command, now: opts.now });
    case 'get': {
      const [cart, { cartLines }] = await Promise.all([
        source.get(command.cartKey),
        import('../format/cart.js'),
      ]);
      sink.write(
        opts.json
          ? json(serializeCart(cart))
          : `${cartLines(cart, opts.width ?? 78)
              .map((l) => l.text)
              .join('\n')}\n`,
      );
      return sink.flush();
    }
    case 'items': {
      if (opts.json) sink.write(json(serializeItemsMap(await source.items(command.cartKey))));
      else {
        const [items, cart, { itemsLines }] = await Promise.all([
          source.items(command.cartKey),
          source.get(command.cartKey),
          import('../format/cart.js'),
        ]);
        sink.write(
          `${itemsLines(command.cartKey, items, cart.currency, opts.width ?? 78)
            .map((l) => l.text)
            .join('\n')}\n`,
        );
      }
      return sink.flush();
    }
  }
}

/** {@link runReadCommand} with its whole output returned as one string. */
export async function runCommand(
  command: Extract<CliCommand, { name: 'list' | 'get' | 'items' }>,
  source: SessionSource & ListSource,
  opts: { json: boolean; now: number; width?: number },
): Promise<string> {
  const sink = stringSink();
  await runReadCommand(command, source, sink, opts);
  return sink.text();
}
