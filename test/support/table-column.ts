/** A row's cells as drawn: `│ a │ b │` is ['a', 'b']. */
function cells(line: string): string[] {
  return line
    .split('│')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/**
 * What one column of the first table with that head shows, head first, its cells' lines joined
 * by spaces: the cells' text again, however the table wrapped it (it wraps only at spaces).
 */
export function tableColumn(text: string, head: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('│') && cells(line).includes(head));
  if (start < 0) throw new Error(`no table with a column "${head}" in:\n${text}`);
  const column = cells(lines[start] ?? '').indexOf(head);
  const shown: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.startsWith('└')) break;
    const cell = line.startsWith('│') ? cells(line)[column] : undefined;
    if (cell) shown.push(cell);
  }
  return shown.join(' ');
}
