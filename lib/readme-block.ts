// A block of README.md that synth writes (pinned versions, network costs): the text between two
// marker lines, replaced whole, so a reader can see it is generated and from what.

export interface GeneratedBlock {
  /** What the error calls the block: `pinned-versions`. */
  readonly name: string;
  readonly begin: string;
  readonly end: string;
}

/** The README with `block`'s content replaced by `content`; throws, saying where the markers go, when they are missing. */
export function withBlock(readme: string, block: GeneratedBlock, content: string): string {
  const start = readme.indexOf(block.begin);
  const end = readme.indexOf(block.end);
  if (start < 0 || end < start)
    throw new Error(`README.md has no ${block.name} block: put the lines\n${block.begin}\n${block.end}\nwhere the table belongs`);
  return `${readme.slice(0, start + block.begin.length)}\n${content}\n${readme.slice(end)}`;
}
