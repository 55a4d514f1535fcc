/** A plain text table for the terminal: columns padded to the widest cell, long cells cut with "…". */
export function formatTable(
  rows: Array<Record<string, unknown>>,
  columns: Array<[key: string, heading: string, max?: number]>,
): string {
  const cell = (value: unknown, max = 60) => {
    const text = value === null || value === undefined ? '' : String(value).replace(/\s+/g, ' ');
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  };
  const body = rows.map((row) => columns.map(([key, , max]) => cell(row[key], max)));
  const head = columns.map(([, heading]) => heading);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
