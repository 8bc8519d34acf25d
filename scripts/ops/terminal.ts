/** Where an operator command writes what the operator sees. */
export interface Output {
  /** A line that stays: a state change, a warning, a result. */
  line(text: string): void;
  /** The status line, replaced by the next one on a terminal; thinned out when piped. */
  progress(text: string): void;
}

export interface TerminalOutputOptions {
  /** Default `process.stdout`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** When the stream is not a terminal, print every n-th progress line. Default 4 (a minute at 15 s polls). */
  plainEvery?: number;
}

/**
 * On a terminal the progress line is rewritten in place (carriage return); in a pipe or a CI log
 * carriage returns would pile up, so only every n-th progress line is printed, as a plain line.
 */
export function terminalOutput(options: TerminalOutputOptions = {}): Output {
  const stream = options.stream ?? process.stdout;
  const plainEvery = options.plainEvery ?? 4;
  const tty = stream.isTTY === true;
  let showing = false;
  let count = 0;
  const clear = () => {
    if (showing) stream.write("\r\x1b[2K");
    showing = false;
  };
  return {
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    progress(text) {
      if (tty) {
        clear();
        stream.write(text);
        showing = true;
      } else if (count++ % plainEvery === 0) {
        stream.write(`${text}\n`);
      }
    },
  };
}
