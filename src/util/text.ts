/** Every letter in its other case (Unicode case mapping, as JavaScript has it). */
export function swapCase(text: string): string {
  return [...text]
    .map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()))
    .join("");
}
