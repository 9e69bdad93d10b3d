/**
 * A horizontal bar chart in plain SVG: no chart library in the bundle and nothing the CSP would
 * refuse (attributes only, no inline styles). The picture is hidden from screen readers; the same
 * numbers are in a table beside it for them.
 */
export function BarChart({ title, rows, testId }: { title: string; rows: Array<{ label: string; value: number }>; testId?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 26;
  const labelWidth = 150;
  const barWidth = 260;
  const height = rows.length * rowHeight + 4;
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${labelWidth + barWidth + 50} ${height}`} width="100%" aria-hidden="true" focusable="false">
        {rows.map((row, i) => {
          const y = i * rowHeight + 2;
          const width = Math.round((row.value / max) * barWidth);
          return (
            <g key={row.label}>
              <text x={labelWidth - 6} y={y + 17} text-anchor="end" font-size="13" fill="#1f1f29">
                {row.label.length > 22 ? `${row.label.slice(0, 21)}…` : row.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={Math.max(width, row.value > 0 ? 2 : 0)} height={rowHeight - 8} rx="3" fill="#1d4e89" />
              <text x={labelWidth + width + 6} y={y + 17} font-size="13" fill="#1f1f29">
                {row.value}
              </text>
            </g>
          );
        })}
      </svg>
      <table class="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
