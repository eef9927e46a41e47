/** `word`, or `word`s when count is not one: "1 file", "2 files". */
export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
